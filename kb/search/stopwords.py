"""The words search leaves out (stdlib only, like the analyser that uses them): stop words for the index and the
query, and the words that never filter a query."""
from __future__ import annotations

# Snowball's Danish stop word list (stopord); words that carry no meaning for finding a task.
STOPWORDS = frozenset("""
og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham hun nu
over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være dog noget
ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget sit sine vor mod
disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan fx mv bl inkl evt dvs
""".split())

# Words that never filter a query (they stay in the index): Danish question words and modal verbs — a natural
# question, "hvem må tage blodprøver?", "kan en SOSU gå stuegang?", asks about the rest of its words —, a few
# function words Snowball's list lacks, and English stop words (the English titles are indexed, so "of" or "the"
# would otherwise match nearly every task). English words that are also Danish ones (is, by, do, had, it — IT)
# are left out.
QUESTION_WORDS = frozenset("""
hvem hvilke hvilken hvilket hvornår hvordan hvorfor hvorvidt hvorledes kan må bør gerne godt
ved mellem blot samt hhv pr via andet andre
""".split())
ENGLISH_STOPWORDS = frozenset("""
a an the of and or to in on at for with from as into onto about than this that these those who whom what which
when where why how can may might must should shall will would could does did are was were be been being not no
their his her its our your they we you he she them
""".split())
QUERY_STOPWORDS = STOPWORDS | QUESTION_WORDS | ENGLISH_STOPWORDS
