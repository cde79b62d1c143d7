-- Sessions in the database, so that they survive a restart and every server process sees the
-- same ones. Only a hash of each token is kept: a copy of the database signs nobody in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  via TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  seen_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (username, created_at_ms);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
