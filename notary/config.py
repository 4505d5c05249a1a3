"""Configuration defaults; `instance/config.py` and environment variables override them."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

INSECURE_SECRET_KEY = "dev-insecure-change-me"


class DefaultConfig:
    """Settings a fresh install runs with; the README lists what a deployment must change."""

    SECRET_KEY = INSECURE_SECRET_KEY
    # Filled from DATABASE_URL, or defaults to instance/notary.sqlite3.
    SQLALCHEMY_DATABASE_URI: str | None = None
    # No ping before every use of a pooled connection (a round trip per request on
    # PostgreSQL): a connection idle longer than DB_PING_AFTER_IDLE_SECONDS is pinged before
    # use instead, so one left over from before a database restart is replaced unseen
    # (notary/extensions.py: install_idle_ping).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": False}
    DB_PING_AFTER_IDLE_SECONDS = 10
    # PostgreSQL: the parallel workers a query may start (max_parallel_workers_per_gather,
    # set on each connection; None leaves the server's setting). A page's statements are
    # short: starting workers cost several milliseconds more than the work (the deadline
    # queues 54 -> 29 ms, the home page 44 -> 22 ms at a million cases), and on a busy
    # server the workers take the cores other requests are waiting for. The statistics
    # page, the one long report, is 8% slower without them.
    PG_PARALLEL_WORKERS_PER_QUERY: int | None = 0
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Sessions: HttpOnly and SameSite always; Secure behind HTTPS (SESSION_COOKIE_SECURE=1).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Inactivity timeout: the session ends this many minutes after the last request.
    SESSION_IDLE_MINUTES = 30
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=30)
    # However active, a session ends this many hours after sign-in (a working day): a copied
    # cookie kept alive by use still dies, and the open sessions an administrator sees are
    # real ones. An office setting, no text fixes it [U].
    SESSION_MAX_HOURS = 12
    # The cookie is re-sent when the session changes: at least once a minute while the user is
    # active (last_seen), not on every request.
    SESSION_REFRESH_EACH_REQUEST = False

    # Sign-in lockout: this many consecutive failures lock the account for LOCKOUT_MINUTES.
    LOGIN_MAX_FAILURES = 5
    LOCKOUT_MINUTES = 15
    # Per client address, whatever the user names: failures within the window before refusing.
    LOGIN_IP_MAX_FAILURES = 20
    LOGIN_IP_WINDOW_MINUTES = 15
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's strongest built-in; tests use a cheap one

    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session

    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_Hans_CN", "en")

    # Uploads of the applicant's materials (申请材料).
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    UPLOAD_FOLDER: str | None = None  # default: <instance>/uploads

    # Ledger import (台账): rows per sheet (the header not counted) and columns read; a sheet
    # with more is refused with a message. A workbook's declared size is never trusted.
    LEDGER_MAX_ROWS = 100_000
    LEDGER_MAX_COLUMNS = 40

    # Acceptance number (受理号) format; {year} and {seq} (zero-padded to ACCEPTANCE_SEQ_WIDTH).
    ACCEPTANCE_NUMBER_FORMAT = "（{year}）耒证受字第{seq}号"
    ACCEPTANCE_SEQ_WIDTH = 5
    OFFICE_NAME = "湖南省耒阳市公证处"
    # Where and when a party collects a certificate, shown by the public case lookup; each
    # office sets its own in instance/config.py (empty: the lookup tells the party to call).
    OFFICE_ADDRESS = ""
    OFFICE_HOURS = ""
    OFFICE_PHONE = ""

    PAGE_SIZE = 25
    # Once the application is built, move every object made so far (modules, mappers,
    # templates: hundreds of thousands) out of the garbage collector's reach, so the full
    # collections a page's ORM rows set off do not walk them again (5-15 ms a list page).
    # Off under TESTING, where many applications are built in one process.
    GC_FREEZE_AT_START = True
    # Rendered list pages kept per worker, keyed by the data version, user, query, language and
    # day (notary/core/page_cache.py); seconds is a backstop for writes made outside the app.
    PAGE_CACHE_SECONDS = 30
    PAGE_CACHE_ENTRIES = 256
    # The signed-in users each worker keeps by session and data version, so a request reads
    # one number instead of the user and the session (notary.core.page_cache.UserSnapshots);
    # seconds is the same backstop. Independent of the page store; 0 turns it off.
    USER_SNAPSHOT_SECONDS = 30

    # The JSON API: requests per verified token, and per client address for requests without
    # a valid token (in Flask-Limiter's notation; office settings [U]). The counters live in
    # RATELIMIT_STORAGE_URI: "notary-db://" keeps them in the application's database, shared
    # by every worker and server (notary/core/rate_limits.py); "redis://…" also works;
    # "memory://" counts per worker process and suits one process only.
    API_RATE_LIMIT = "600 per minute"
    API_ANONYMOUS_RATE_LIMIT = "60 per minute"
    RATELIMIT_STORAGE_URI = "notary-db://"
    RATELIMIT_HEADERS_ENABLED = True

    # The statutory clock (公证法 art. 30). The statute pauses only for force majeure,
    # supplementing materials and verification; pausing for translation or a public notice
    # (公示) is office policy, off unless listed here: ("translation", "public_notice").
    CLOCK_EXTRA_PAUSE_KINDS: tuple[str, ...] = ()
    QUEUE_DUE_SOON_WORKING_DAYS = 3
    QUEUE_LONG_PAUSE_DAYS = 30  # a pause longer than this is listed for follow-up
    STALL_MONTHS = 6  # 终止 ground 1: not concluded within six months through the party
    ARCHIVE_DEADLINE_MONTHS = 3  # 公证程序规则 arts. 58-59: file within three months of closing
    ARCHIVE_WARNING_DAYS = 14

    # Fees: receipt numbers (收费凭证) per year, {year} and {seq} as for acceptance numbers.
    FEE_RECEIPT_NUMBER_FORMAT = "（{year}）耒证收字第{seq}号"
    FEE_RECEIPT_SEQ_WIDTH = 5
    # A government-guided price (政府指导价) is the province's standard with a float range;
    # Hunan's range is unconfirmed (legal-texts.md §1.2 [U]): by default the standard is a
    # ceiling (the Guangdong wording, "最高标准…可下浮"), lowered but never raised.
    FEE_GUIDED_MAX_INCREASE_PERCENT = 0
    # The finance system that issues the official bill for each payment (电子票据 / 发票),
    # prefilled on the payment form; which one the office uses is local [U].
    FEE_BILL_SYSTEM = ""
    # Legal aid by the emergency route: remind until the agency confirms, this many days on
    # (an office setting; no statutory figure was found, domain.md §5.3 [U]).
    LEGAL_AID_CONFIRM_DAYS = 15

    # Field investigations: visits and interviews need two staff, or one and a witness. The
    # rule is binding for wills, on-site supervision and evidence preservation; for other
    # matters it is office policy (domain.md §1.2 [U]): on unless set to False here.
    INVESTIGATION_TWO_PERSON_RULE = True
    TWO_PERSON_MATTERS: tuple[str, ...] = ("will", "onsite_supervision", "evidence_preservation")
    COMMISSIONED_VERIFICATION_MONTHS = 1  # 公证程序规则 2020 art. 33
    UPCOMING_TASK_DAYS = 14
    # Certificates (公证书). Each series has a number format ({year}, {seq} zero-padded to
    # `width`) and the case categories it serves; the `default` series takes the rest. The
    # Leiyang format is unconfirmed (domain.md §2.2 [U]); an office running separate series
    # adds e.g. "foreign": {"format": "（{year}）湘衡耒证外字第{seq}号", "categories":
    # ["foreign_civil", "foreign_economic"]}. A series code, once used, is never renamed.
    CERTIFICATE_SERIES: dict[str, dict[str, Any]] = {
        "general": {"format": "（{year}）湘衡耒证字第{seq}号", "width": 0, "default": True,
                    "categories": []},
    }
    CERTIFICATE_FOLDER: str | None = None  # default: <instance>/certificates
    OFFICE_NAME_EN = "Leiyang Notary Public Office, Hunan Province, the People's Republic of China"
    # The office line on certificates in the form of the 2011 formats ("中华人民共和国" + the
    # office's name, legal-texts.md §7.2; the pattern is [R], this office's string [U]).
    CERTIFICATE_OFFICE_LINE = "中华人民共和国湖南省耒阳市公证处"
    # "A4" or "16K": SF/T 0038—2019 refers to GB/T 148 paper sizes; A4 is assumed, its size
    # clause was not seen (legal-texts.md §7.1 [U]). 16开 was the size before 2019.
    CERTIFICATE_PAGE_SIZE = "A4"
    # The address at which anyone reaches this installation's /verify page: printed in every
    # certificate's QR code. No default: issuing is refused until it is set (make run writes
    # the address it serves); behind a reverse proxy, the proxy's public https:// address.
    PUBLIC_BASE_URL: str | None = None
    # 婚姻状况 (legal-texts.md §7.3): since 2003 an unmarried status is notarized as the
    # person's declaration ("declaration") or, where the registry still issues its proof, as
    # no marriage registration record ("no_record"); which is the default is the office's
    # choice [U]. Below the legal marriage age (民法典 art. 1047) the substantive wording stays.
    MARITAL_STATUS_FORM = "declaration"
    MARRIAGE_AGE: dict[str, int] = {"male": 22, "female": 20}
    MARITAL_REGISTRY_NAME = ""  # e.g. "耒阳市民政局婚姻登记处", named in the no-record wording
    # A PAdES signature on every issued certificate when both are set (a PKCS#12 file).
    CERTIFICATE_SIGNING_PKCS12: str | None = None
    CERTIFICATE_SIGNING_PASSWORD: str | None = None
    # Public verification: at most this many lookups per client IP in the window.
    VERIFY_RATE_LIMIT = 30
    VERIFY_RATE_WINDOW_SECONDS = 600
    # Destinations where the Apostille Convention applies with China, and from when; None
    # uses the built-in table (certificates/rules.py). India is always excluded.
    APOSTILLE_STATES: dict[str, Any] | None = None

    # Inheritance: the public notice (公示) period in days; no national figure (domain.md §3.5).
    INHERITANCE_NOTICE_DAYS = 30
    # Small estates (小额遗产): 中国公证协会《关于办理小额遗产继承公证的指导意见》(2016-02-02)
    # art. 2(1) lets an office use the simplified route when each single item of the estate is
    # at most 50,000 yuan. The rest of its conditions and simplifications were not read
    # (legal-texts.md §4.1 [U]): the office lists what it drops. False turns the route off.
    SMALL_ESTATE_ROUTE = True
    SMALL_ESTATE_THRESHOLD = "50000.00"
    SMALL_ESTATE_SOURCE = "中国公证协会《关于办理小额遗产继承公证的指导意见》（2016年）第二条"
    # What the route drops [U]: no public notice (公示) is asked for, and these items of the
    # 2009 materials checklist may be missing when the case goes for approval.
    SMALL_ESTATE_NO_PUBLIC_NOTICE = True
    SMALL_ESTATE_OPTIONAL_ITEMS: tuple[int, ...] = (5,)

    # The case file (卷宗).
    # 审批: the roles whose members approve; a notary is designated on the administrator's
    # practice page. No stored text says who approves (legal-texts.md §6.3 [U]): the director.
    APPROVAL_ROLES: tuple[str, ...] = ("director",)
    # Wills: 遗嘱公证细则 art. 16 has the interview with an elderly and frail (年老体弱) or
    # sick testator recorded on audio or video, without an age; from this age the office
    # treats every testator as elderly [U] (None: only the notary's "sick or infirm" flag).
    WILL_RECORDING_AGE: int | None = 80
    # 密卷 (公证程序规则 art. 60): while the testator lives, the will's file opens only to its
    # handling notary and assistant, the approver, and these roles; every opening is audited.
    CONFIDENTIAL_FILE_ROLES: tuple[str, ...] = ("director",)
    # 复查 (公证程序规则 2020 arts. 61-64): decided within 30 days of the application, carried
    # out within 10 days of the decision; time for materials or verification does not count,
    # at most 6 months. Calendar days ("日"), not working days.
    REVIEW_DECISION_DAYS = 30
    REVIEW_EXECUTION_DAYS = 10
    REVIEW_PAUSE_MONTHS = 6
    REVIEW_DUE_SOON_DAYS = 7  # the deadline queue lists a review from this many days before
    # 公证法 art. 39: a revoked certificate is publicly announced; the form is not prescribed
    # (legal-texts.md §2.7 [U]): the channels the office uses.
    REVOCATION_ANNOUNCEMENT_CHANNELS: tuple[str, ...] = ("本处公告栏", "本处网站", "报纸")
    # Complaints (投诉): the office answers within this many days of receipt. Order 147 binds
    # the justice bureaus and its deadlines were not read (legal-texts.md §5.2 [U]); 60 days is
    # the older 公证投诉处理办法's figure, for the office to confirm.
    COMPLAINT_ANSWER_DAYS = 60

    # Statistics: the Leiyang report counts 涉港/涉澳/涉台 cases as domestic (domain.md §4.4);
    # False reports them beside domestic and foreign instead.
    STATS_HMT_AS_DOMESTIC = True
    # How each closing counts among the concluded cases (办结): "issued", "refused" or
    # "terminated", or None for "not counted, shown on its own line". The register (公证程序
    # 规则 art. 57) lists accepted cases with their 结案方式, so an application not accepted
    # (不予受理) is no case of the register and is shown apart; 不予办理 is a closing of its own.
    STATS_CLOSING_COUNTS: dict[str, str | None] = {
        "issued": "issued", "refused": "refused", "terminated": "terminated",
        "withdrawn": "terminated", "not_accepted": None,
    }
    # Public case lookup: at most this many lookups per client IP within the window.
    LOOKUP_RATE_LIMIT = 10
    LOOKUP_RATE_WINDOW_MINUTES = 10
    # Retention of personal information (个人信息保护法 art. 19: no longer than needed), per
    # record kind, in days; `flask retention report` lists what is past it and
    # `flask retention apply --apply` anonymises it. Only records that are not legal records
    # are ever anonymised: case files, certificates and the audit trail are kept (None).
    RETENTION_DAYS: dict[str, int | None] = {
        "consultations": 3 * 365,  # the front-desk log: the caller's name, phone, summary
        "case_lookups": 180,  # client addresses of public case lookups
        "verification_lookups": 180,  # client addresses of public certificate checks
        "sign_in_failures": 90,  # client addresses and user names typed at failed sign-ins
        "user_sessions": 90,  # the client address each session was signed in from
        "audit_entries": None,  # permanent (tamper-evident)
        "cases": None,  # legal records: see ARCHIVE_RETENTION_YEARS
    }
    # Closed case files (公证档案) by retention class, in years from filing; past it a file is
    # listed for the archive appraisal (鉴定), never deleted by the system. The figures are the
    # office's to confirm (公证档案管理办法 names the classes, domain.md does not fix years).
    ARCHIVE_RETENTION_YEARS: dict[str, int | None] = {"permanent": None, "long": 60,
                                                      "short": 20}
    # Behind a reverse proxy, the number of proxies whose X-Forwarded-For is trusted (0: none):
    # the rate limits of the public pages then count the real client address.
    TRUSTED_PROXIES = 0


def _env_overrides() -> dict[str, Any]:
    """Read the documented environment variables (NOTARY_* and the usual names)."""
    out: dict[str, Any] = {}
    if url := os.environ.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = url
    if key := os.environ.get("SECRET_KEY"):
        out["SECRET_KEY"] = key
    if (secure := os.environ.get("SESSION_COOKIE_SECURE")) is not None:
        out["SESSION_COOKIE_SECURE"] = secure.lower() in {"1", "true", "yes"}
    if idle := os.environ.get("SESSION_IDLE_MINUTES"):
        out["SESSION_IDLE_MINUTES"] = int(idle)
    if folder := os.environ.get("UPLOAD_FOLDER"):
        out["UPLOAD_FOLDER"] = folder
    if url := os.environ.get("PUBLIC_BASE_URL"):
        out["PUBLIC_BASE_URL"] = url
    if (seconds := os.environ.get("NOTARY_PAGE_CACHE_SECONDS")) is not None:
        out["PAGE_CACHE_SECONDS"] = float(seconds)
    if (workers := os.environ.get("NOTARY_PG_PARALLEL_WORKERS_PER_QUERY")) is not None:
        out["PG_PARALLEL_WORKERS_PER_QUERY"] = int(workers) if workers.strip() else None
    if (seconds := os.environ.get("NOTARY_USER_SNAPSHOT_SECONDS")) is not None:
        out["USER_SNAPSHOT_SECONDS"] = float(seconds)
    return out


def load_config(app: Any, test_config: dict[str, Any] | None) -> None:
    """Apply defaults, then instance/config.py, then the environment, then test overrides."""
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    app.config.update(_env_overrides())
    if test_config is not None:
        app.config.update(test_config)
    instance = Path(app.instance_path)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'notary.sqlite3'}"
    if not app.config.get("CERTIFICATE_FOLDER"):
        app.config["CERTIFICATE_FOLDER"] = str(instance / "certificates")
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(instance / "uploads")
    # Behind HTTPS every cookie carrying a session is Secure (the remember cookie too).
    app.config["REMEMBER_COOKIE_SECURE"] = bool(app.config["SESSION_COOKIE_SECURE"])
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        minutes=int(app.config["SESSION_IDLE_MINUTES"])
    )
    insecure = app.config["SECRET_KEY"] == INSECURE_SECRET_KEY
    allowed = app.config.get("TESTING") or os.environ.get("NOTARY_ALLOW_DEV_SECRET") == "1"
    if insecure and not allowed:
        raise RuntimeError(
            "SECRET_KEY is the insecure default: set it in instance/config.py or the "
            "SECRET_KEY environment variable (make run writes one for you)."
        )
