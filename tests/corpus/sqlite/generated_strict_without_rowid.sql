-- WITHOUT ROWID, STRICT and generated columns (virtual and stored): values are copied.
CREATE TABLE pairs (k TEXT PRIMARY KEY, v INTEGER, doubled INTEGER GENERATED ALWAYS AS (v * 2) VIRTUAL, label TEXT AS (k || '=' || v) STORED) WITHOUT ROWID;
INSERT INTO pairs (k, v) VALUES ('b', 2), ('a', 1);
CREATE TABLE strict_one (n INT, anything ANY, t TEXT) STRICT;
INSERT INTO strict_one VALUES (1, '007', 'x'), (2, 2.5, NULL);
