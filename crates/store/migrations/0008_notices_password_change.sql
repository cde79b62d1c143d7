-- Notices (通知) in the application: a reminder (催报) from the plan office, a value returned, values
-- waiting for review, a deadline coming. One row per recipient, so each reads their own; `dedupe`
-- names a notice sent by the server on its own (a deadline reminder, a day's waiting values) so
-- that it goes out once per recipient.
CREATE TABLE notices (
  id @ID@,
  username TEXT NOT NULL,
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  href TEXT NOT NULL,
  sender TEXT NOT NULL,
  dedupe TEXT,
  created_at_ms BIGINT NOT NULL,
  read_at_ms BIGINT
);
CREATE INDEX notices_by_user ON notices (username, read_at_ms);
CREATE UNIQUE INDEX notices_once ON notices (username, dedupe);

-- A user whose password an administrator gave (a new user, a reset) changes it at the next sign-in.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
