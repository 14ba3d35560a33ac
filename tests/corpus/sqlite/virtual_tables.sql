-- FTS5 and R*Tree tables are copied as plain tables; their shadow tables are not.
CREATE VIRTUAL TABLE docs USING fts5(title, body);
INSERT INTO docs VALUES ('One', 'Paris, France'), ('Two', 'Parma, Italy');
CREATE VIRTUAL TABLE boxes USING rtree(id, min_x, max_x);
INSERT INTO boxes VALUES (1, 0.0, 1.0);
