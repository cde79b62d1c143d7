-- Enterprise-month microdata (企业月度数据): the current 1–N月 values of every enterprise and
-- month, and every revision of them (append-only). Periods are month indexes (year * 12 +
-- month - 1); amounts are integers of 1/10,000 of their unit (万元, 万千瓦时, 人), so that
-- totals are exact on both backends.

CREATE TABLE micro_values (
  credit_code TEXT NOT NULL,
  period BIGINT NOT NULL,
  output BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  profit BIGINT NOT NULL,
  export_delivery BIGINT NOT NULL,
  rd_expense BIGINT NOT NULL,
  electricity BIGINT NOT NULL,
  employees BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (credit_code, period)
);

CREATE TABLE micro_revisions (
  id @ID@,
  credit_code TEXT NOT NULL,
  period BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  output BIGINT NOT NULL,
  revenue BIGINT NOT NULL,
  profit BIGINT NOT NULL,
  export_delivery BIGINT NOT NULL,
  rd_expense BIGINT NOT NULL,
  electricity BIGINT NOT NULL,
  employees BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  changed_by TEXT NOT NULL,
  changed_at_ms BIGINT NOT NULL,
  UNIQUE (credit_code, period, revision)
);
