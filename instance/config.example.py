# Copy to instance/config.py (make run writes one with a random SECRET_KEY) and adjust.
# Environment variables (DATABASE_URL, SECRET_KEY, SESSION_COOKIE_SECURE, ...) override it.

SECRET_KEY = "replace-with-a-long-random-string"

# SQLite in instance/ is the default; for several users use PostgreSQL (psycopg 3):
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://notary:secret@127.0.0.1:5432/notary"

# Behind HTTPS: send the session cookie only over TLS (also turns on HSTS).
# SESSION_COOKIE_SECURE = True

# Sign out after this many minutes without a request.
# SESSION_IDLE_MINUTES = 30

# The office and its numbering ({year}, {seq} zero-padded to ACCEPTANCE_SEQ_WIDTH).
# OFFICE_NAME = "湖南省耒阳市公证处"
# Shown by the public case lookup once a certificate is ready (where and when to collect it).
# OFFICE_ADDRESS = "..."
# OFFICE_HOURS = "周一至周五 8:00-12:00，14:30-17:30"
# OFFICE_PHONE = "0734-..."
# ACCEPTANCE_NUMBER_FORMAT = "（{year}）耒证受字第{seq}号"
# ACCEPTANCE_SEQ_WIDTH = 5

# Uploaded materials (PDF, JPEG, PNG), stored with their SHA-256.
# UPLOAD_FOLDER = "/var/lib/notary/uploads"
# UPLOAD_MAX_BYTES = 20 * 1024 * 1024
