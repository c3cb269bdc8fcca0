"""The write side: the document shape and the one write path (udgivelse af viden).

documents  the kinds, record → document, the shape's format version and its upgrades
schema     what a document (and a seed file's entry) may hold, field by field
checks     document → checked bundle: fields, references, cited line ranges (Danish messages by field)
bundle     the checked batch (SeedBundle), its origins, reading seed/*.yaml, reference checks
loader     upsert a bundle by slug, counting real changes
history    every published version of a record, and field diffs
publish    the one write path: check → load → reindex → history → audit (seed, editors' publish, import)
"""
from kb.knowledge.documents import FORMAT, KINDS, DocumentError, current, document_of, find, records, to_document
from kb.knowledge.publish import Publication, Published, publish

__all__ = ["FORMAT", "KINDS", "DocumentError", "Publication", "Published", "current", "document_of", "find",
           "publish", "records", "to_document"]
