#!/usr/bin/env python3
"""The cube of one month in DuckDB, the reference of BENCHMARKS.md: the same membership (the
enterprises file's districts and above-scale years, the members file's clusters) and the same
同口径 rule as `plan361 stats cube`.

  duckdb_cube.py memory DIR PERIOD ROUNDS   load DIR/{micro,enterprises,members}.csv, then time
                                            the query ROUNDS times: prints the median seconds
  duckdb_cube.py process DIR PERIOD         read the CSVs and compute once (a whole process)
  duckdb_cube.py totals DIR PERIOD          print cluster,org_unit,enterprises,ytd of output for
                                            each cell, to check against plan361's
  duckdb_cube.py append DIR MONTH,MONTH…    load DIR's CSVs without those months, then time
                                            appending each DIR/month-MONTH.csv and computing
                                            its cube: prints the median seconds
"""
import statistics
import sys
import time

import duckdb

MEASURES = ["output", "revenue", "profit", "export_delivery", "rd_expense", "electricity", "employees"]


def month_rows(path):
    return (
        f"SELECT credit_code, "
        f"CAST(substr(period, 1, 4) AS INTEGER) * 12 + CAST(substr(period, 6, 2) AS INTEGER) - 1 AS month, "
        f"{', '.join(MEASURES)} FROM read_csv('{path}', header=true)"
    )


def month_index(period):
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def load(con, folder):
    con.execute(f"CREATE TABLE micro AS {month_rows(folder + '/micro.csv')}")
    con.execute(f"CREATE TABLE ent AS SELECT * FROM read_csv('{folder}/enterprises.csv', header=true)")
    con.execute(f"CREATE TABLE mem AS SELECT * FROM read_csv('{folder}/members.csv', header=true)")


def query(period):
    year, month = int(period[:4]), int(period[5:7])
    m = year * 12 + month - 1
    cur = ", ".join(f"c.{x} AS {x}" for x in MEASURES)
    if month == 1:
        monthly = ", ".join(f"c.{x} AS m_{x}" for x in MEASURES)
    else:
        monthly = ", ".join(
            f"CASE WHEN '{x}' = 'employees' THEN c.{x} ELSE c.{x} - pm.{x} END AS m_{x}" for x in MEASURES
        )
    prev = ", ".join(f"py.{x} AS p_{x}" for x in MEASURES)
    sums = ", ".join(
        f"sum({x}) AS ytd_{x}, sum(m_{x}) AS month_{x}, "
        f"sum({x}) FILTER (WHERE has_prev) AS cur_{x}, sum(p_{x}) AS prev_{x}"
        for x in MEASURES
    )
    return f"""
    WITH cur AS (
      SELECT c.* FROM micro c JOIN ent e USING (credit_code)
      WHERE c.month = {m} AND list_contains(e.years, {year})),
    rows AS (
      SELECT c.credit_code, e.district, e.zone, {cur}, {monthly}, {prev}, py.credit_code IS NOT NULL AS has_prev
      FROM cur c JOIN ent e USING (credit_code)
      LEFT JOIN (SELECT * FROM micro WHERE month = {m - 1}) pm USING (credit_code)
      LEFT JOIN (SELECT * FROM micro WHERE month = {m - 12}) py USING (credit_code)),
    tagged AS (
      SELECT 'all' AS cluster, * FROM rows
      UNION ALL SELECT mem.cluster, rows.* FROM rows JOIN mem USING (credit_code)),
    placed AS (
      SELECT '宁波市' AS org_unit, * FROM tagged
      UNION ALL SELECT district, * FROM tagged WHERE district IS NOT NULL
      UNION ALL SELECT zone, * FROM tagged WHERE zone IS NOT NULL)
    SELECT cluster, org_unit, count(*) AS enterprises, count(*) FILTER (WHERE has_prev) AS common, {sums}
    FROM placed GROUP BY cluster, org_unit
    """


def prepare(con, folder):
    load(con, folder)
    con.execute("ALTER TABLE ent ADD COLUMN years INTEGER[]")
    con.execute("UPDATE ent SET years = list_transform(string_split(CAST(above_scale AS VARCHAR), ';'), lambda x: CAST(x AS INTEGER))")


def main():
    mode, folder, period = sys.argv[1], sys.argv[2], sys.argv[3]
    con = duckdb.connect()
    if mode == "process":
        prepare(con, folder)
        rows = con.execute(query(period)).fetchall()
        print(len(rows))
        return
    if mode == "totals":
        prepare(con, folder)
        cells = con.execute(f"SELECT cluster, org_unit, enterprises, ytd_output FROM ({query(period)})").fetchall()
        for cluster, org_unit, enterprises, ytd in cells:
            print(f"{cluster},{org_unit},{enterprises},{ytd}")
        return
    if mode == "append":
        months = period.split(",")
        prepare(con, folder)
        con.execute(f"DELETE FROM micro WHERE month >= {month_index(months[0])}")
        times = []
        for month in months:
            start = time.perf_counter()
            con.execute(f"INSERT INTO micro {month_rows(f'{folder}/month-{month}.csv')}")
            con.execute(query(month)).fetchall()
            times.append(time.perf_counter() - start)
        print(statistics.median(times))
        return
    prepare(con, folder)
    rounds = int(sys.argv[4])
    sql = query(period)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    print(statistics.median(times))


if __name__ == "__main__":
    main()
