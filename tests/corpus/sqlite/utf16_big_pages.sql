-- A UTF-16 database with 64 KiB pages (both are set before the first table exists).
PRAGMA encoding = 'UTF-16le';
PRAGMA page_size = 65536;
CREATE TABLE words (word TEXT, n INTEGER);
INSERT INTO words VALUES ('café', 1), ('日本', 2), ('😀', 3);
