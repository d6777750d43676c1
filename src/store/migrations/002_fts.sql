-- 002_fts.sql - full-text search over incidents (SQLite FTS5). The indexed text is folded by
-- util/fold.c (no diacritics, đ -> d, lower case), so "su co" finds "sự cố"; rowid = incident id.
CREATE VIRTUAL TABLE incidents_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
