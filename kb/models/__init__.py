"""The domain model. One module per aggregate; import everything here so metadata is complete."""
from kb.models.audit import AuditEvent, Revision
from kb.models.base import Base
from kb.models.competence import Competence
from kb.models.education import Education
from kb.models.knowledge import KnowledgeChange, KnowledgeState
from kb.models.law import LegalAct, Provision
from kb.models.organisation import Organisation
from kb.models.plan import ShiftPlan, ShiftPlanItem
from kb.models.rendered import RenderedDocument
from kb.models.profession import Profession, ProfessionCompetence, ProfessionShortage, Setting
from kb.models.rule import Evidence, Rule
from kb.models.search import Synonym
from kb.models.source import SourceCitation, SourceDocument
from kb.models.task import Task, TaskRequirement, TaskTerm
from kb.models.transfer import ImportJob
from kb.models.user import User

__all__ = [
    "AuditEvent", "Base", "Competence", "Education", "Evidence", "ImportJob", "KnowledgeChange", "KnowledgeState", "LegalAct", "Organisation", "Profession", "ProfessionCompetence",
    "ProfessionShortage", "Provision", "RenderedDocument", "Revision", "Rule", "Setting", "ShiftPlan", "ShiftPlanItem", "SourceCitation",
    "SourceDocument", "Synonym", "Task", "TaskRequirement", "TaskTerm", "User",
]
