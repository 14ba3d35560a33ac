-- Names and declared types that would break naive SQL or HTML: they are copied as they are.
CREATE TABLE "<script>alert(1)</script>" ("a""b" TEXT, "x); DROP TABLE t; --" "x); DROP TABLE t; --", "c" "NOT NULL", "select" "unsigned big int");
INSERT INTO "<script>alert(1)</script>" VALUES ('<img src=x onerror=alert(1)>', 1, NULL, 2);
CREATE TABLE "my table" ("" INT, " spaced " TEXT);
INSERT INTO "my table" VALUES (1, 'one');
