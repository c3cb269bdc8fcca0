"""Who may take over (hvem må overtage opgaven): the engine's answers on pages, API and CLI.

The reasoning lives in kb.rules; this feature turns database rows into facts and renders the results.
"""
