-- A view that would never finish is skipped, not run; the table next to it is copied.
CREATE TABLE numbers (n INTEGER);
INSERT INTO numbers VALUES (1), (2);
CREATE VIEW forever AS WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT i FROM r;
CREATE VIEW doubled AS SELECT n * 2 AS d FROM numbers;
