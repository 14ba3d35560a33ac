-- Two ordinary tables with an index and a trigger: only the data is copied. AUTOINCREMENT
-- and ANALYZE add SQLite's own sqlite_sequence and sqlite_stat1, which are not copied.
CREATE TABLE cities (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, population INT, area REAL, note);
CREATE INDEX cities_name ON cities (name);
INSERT INTO cities VALUES (1, 'Paris', 2102650, 105.4, NULL), (2, 'Oslo', 709037, 454.0, 'capital'), (3, '007', NULL, 0.5, '');
CREATE TABLE log (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT DEFAULT CURRENT_TIMESTAMP, what TEXT);
CREATE TRIGGER cities_log AFTER INSERT ON cities BEGIN INSERT INTO log (what) VALUES (NEW.name); END;
INSERT INTO log (at, what) VALUES ('2024-01-02 03:04:05', 'seed');
ANALYZE;
