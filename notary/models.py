"""Import every model so the metadata (and Alembic autogenerate) sees all tables."""

from notary.api.models import ApiToken, IdempotentRequest
from notary.auth.models import SignInFailure, User
from notary.casefile.models import CaseNotice, FileNote, WillFile
from notary.cases.models import Case, CaseEvent, CaseParticipant, Material, MatterType
from notary.certificates.models import (
    ArchiveFile,
    Certificate,
    CertificateReview,
    CharacterReading,
    Delivery,
    ForeignUse,
    ReviewPause,
    VerificationLookup,
    WordingTemplate,
)
from notary.complaints.models import Complaint
from notary.consultations.models import CaseLookup, Consultation
from notary.core.audit import AuditChainHead, AuditEntry
from notary.core.sequences import NumberSequence
from notary.deadlines.models import (
    CalendarDay,
    CalendarYear,
    CaseClock,
    ClockPause,
    RecusalRequest,
    StaffRelation,
)
from notary.fees.models import (
    Charge,
    FeeAttachment,
    FeeDayTotal,
    FeeItem,
    FeeSchedule,
    FeeTier,
    Payment,
    Reduction,
    ReductionRule,
    Refund,
)
from notary.inheritance.models import (
    ChecklistEntry,
    Disposition,
    EstateItem,
    FamilyMember,
    InheritanceCase,
)
from notary.investigations.models import (
    Investigation,
    InvestigationAttachment,
    InvestigationRecord,
    RecordPerson,
    RecordQuestion,
)
from notary.ledger.models import LedgerCase
from notary.legal_aid.models import LegalAidRecord
from notary.parties.models import Party
from notary.statistics.models import SubmittedReport

__all__ = [
    "ApiToken",
    "ArchiveFile",
    "AuditChainHead",
    "AuditEntry",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseClock",
    "CaseEvent",
    "CaseLookup",
    "CaseNotice",
    "CaseParticipant",
    "Certificate",
    "CertificateReview",
    "CharacterReading",
    "Charge",
    "ChecklistEntry",
    "ClockPause",
    "Complaint",
    "Consultation",
    "Delivery",
    "Disposition",
    "EstateItem",
    "FamilyMember",
    "FeeAttachment",
    "FeeDayTotal",
    "FeeItem",
    "FeeSchedule",
    "FeeTier",
    "FileNote",
    "ForeignUse",
    "IdempotentRequest",
    "InheritanceCase",
    "Investigation",
    "InvestigationAttachment",
    "InvestigationRecord",
    "LedgerCase",
    "LegalAidRecord",
    "Material",
    "MatterType",
    "NumberSequence",
    "Party",
    "Payment",
    "RecordPerson",
    "RecordQuestion",
    "RecusalRequest",
    "Reduction",
    "ReductionRule",
    "Refund",
    "ReviewPause",
    "SignInFailure",
    "StaffRelation",
    "SubmittedReport",
    "User",
    "VerificationLookup",
    "WillFile",
    "WordingTemplate",
]
