"""Numbered migrations of the SQLite schema; each runs in one transaction."""

from __future__ import annotations

import sqlite3

__all__ = ["MIGRATIONS", "migrate"]

MIGRATIONS: tuple[str, ...] = (
    # 1: sources, articles, change tracking, full-text index of analyzed terms
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('feed', 'sitemap')),
        title TEXT, site_url TEXT, category TEXT, country TEXT, language TEXT,
        created_at TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        etag TEXT, last_modified TEXT,
        last_fetched_at TEXT, next_fetch_at TEXT, last_new_at TEXT,
        error_count INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        html TEXT NOT NULL,
        summary TEXT, canonical_url TEXT, guid TEXT, author TEXT,
        published TEXT, updated TEXT, image TEXT, language TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        extraction_error TEXT,
        fetched_at TEXT NOT NULL,
        sort_time TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        seq INTEGER NOT NULL,
        UNIQUE (source_id, key)
    );
    CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
    CREATE INDEX articles_by_source_time ON articles (source_id, sort_time DESC, id DESC);
    CREATE INDEX articles_by_seq ON articles (seq);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO counters (name, value) VALUES ('article_seq', 0);
    CREATE TABLE deleted_articles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, article_id INTEGER NOT NULL
    );
    CREATE TRIGGER articles_deleted AFTER DELETE ON articles BEGIN
        INSERT INTO deleted_articles (article_id) VALUES (old.id);
    END;
    CREATE TABLE search_state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO search_state (name, value) VALUES ('indexed_seq', 0), ('deleted_seq', 0);
    CREATE VIRTUAL TABLE article_terms USING fts5 (
        title, body, tokenize = 'unicode61 remove_diacritics 0'
    );
    """,
    # 2: the analyzer version the search index was built with (a new one rebuilds the index)
    """
    INSERT INTO search_state (name, value) VALUES ('analyzer_version', 1);
    """,
    # 3: the section analysis decided for each article (issue 6)
    """
    ALTER TABLE articles ADD COLUMN section TEXT;
    ALTER TABLE articles ADD COLUMN section_confidence REAL;
    ALTER TABLE articles ADD COLUMN section_decided_by TEXT;
    CREATE INDEX articles_by_section_time ON articles (section, sort_time DESC, id DESC);
    """,
    # 4: dedupe (issue 5): fingerprints, URL keys, copy groups with their original, LSH bands
    """
    ALTER TABLE articles ADD COLUMN url_key TEXT;
    ALTER TABLE articles ADD COLUMN canonical_key TEXT;
    ALTER TABLE articles ADD COLUMN text_hash TEXT;
    ALTER TABLE articles ADD COLUMN signature BLOB;
    ALTER TABLE articles ADD COLUMN shingle_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN credited TEXT;
    ALTER TABLE articles ADD COLUMN copy_kind TEXT
        CHECK (copy_kind IN ('duplicate', 'republication'));
    ALTER TABLE articles ADD COLUMN copy_of INTEGER;
    ALTER TABLE articles ADD COLUMN group_id INTEGER;
    ALTER TABLE articles ADD COLUMN original_outlet TEXT;
    ALTER TABLE articles ADD COLUMN original_id INTEGER;
    CREATE INDEX articles_by_url_key ON articles (url_key);
    CREATE INDEX articles_by_canonical_key ON articles (canonical_key);
    CREATE INDEX articles_by_text_hash ON articles (text_hash);
    CREATE INDEX articles_by_group ON articles (group_id);
    CREATE TABLE article_bands (
        band INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (band, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_bands_by_article ON article_bands (article_id);
    CREATE TRIGGER articles_group_member_deleted AFTER DELETE ON articles
    WHEN old.group_id IS NOT NULL BEGIN
        UPDATE articles SET copy_kind = NULL, copy_of = NULL
            WHERE old.group_id = old.id
            AND id = (SELECT min(id) FROM articles WHERE group_id = old.id);
        UPDATE articles SET group_id = (SELECT min(id) FROM articles WHERE group_id = old.id)
            WHERE old.group_id = old.id AND group_id = old.id;
        UPDATE articles SET original_id = NULL WHERE original_id = old.id;
    END;
    CREATE INDEX articles_by_original ON articles (original_id);
    """,
    # 5: stories (issue 5): each article's story; each story's record and resumable state
    """
    ALTER TABLE articles ADD COLUMN story_id INTEGER;
    CREATE INDEX articles_by_story ON articles (story_id, sort_time);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        title_article_id INTEGER,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        size INTEGER NOT NULL,
        outlets TEXT NOT NULL DEFAULT '[]',
        state BLOB NOT NULL
    );
    CREATE INDEX stories_by_last_seen ON stories (last_seen DESC);
    """,
    # 6: related articles (issue 6): each article's heaviest story-vector features
    """
    CREATE TABLE article_features (
        feature INTEGER NOT NULL,
        weight REAL NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (feature, weight, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_features_by_article ON article_features (article_id);
    """,
    # 7: rules and alerts (issue 7): rules as JSON specs, their hits, hidden/marked articles,
    # the alerts they raised with each one's webhook delivery record
    """
    ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE articles ADD COLUMN marks TEXT NOT NULL DEFAULT '[]';
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        spec TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE rule_hits (
        rule_id INTEGER NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        action TEXT NOT NULL CHECK (action IN ('hide', 'mark')),
        label TEXT NOT NULL,
        PRIMARY KEY (rule_id, article_id)
    );
    CREATE INDEX rule_hits_by_article ON rule_hits (article_id);
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        rule_id INTEGER REFERENCES rules(id) ON DELETE SET NULL,
        rule_name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('article', 'story')),
        subject_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        matched TEXT NOT NULL DEFAULT '[]',
        payload TEXT NOT NULL,
        target TEXT,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        delivered_at TEXT,
        UNIQUE (rule_id, kind, subject_id)
    );
    CREATE INDEX alerts_due ON alerts (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
    """,
    # 8: entities and keywords (issue 6): per-article rows, entities merged by key; articles
    # by URL per source (entries whose GUID changes on every fetch are known by their URL)
    """
    CREATE TABLE entities (
        key TEXT PRIMARY KEY,
        type TEXT NOT NULL CHECK (type IN ('person', 'organization', 'place')),
        name TEXT NOT NULL
    );
    CREATE TABLE article_entities (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_key TEXT NOT NULL REFERENCES entities(key),
        name TEXT NOT NULL,
        count INTEGER NOT NULL,
        variants TEXT NOT NULL DEFAULT '[]',
        sort_time TEXT NOT NULL,
        position INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, entity_key)
    );
    CREATE INDEX article_entities_by_entity ON article_entities (entity_key, sort_time DESC);
    CREATE INDEX article_entities_by_time ON article_entities (sort_time);
    CREATE TABLE article_keywords (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        phrase TEXT NOT NULL,
        score REAL NOT NULL,
        PRIMARY KEY (article_id, key)
    );
    CREATE INDEX article_keywords_by_key ON article_keywords (key);
    CREATE INDEX articles_by_source_url ON articles (source_id, url);
    """,
    # 9: tag pages read an index of (tag, time) kept by triggers from the categories JSON, not
    # every article (a rare tag on 100k articles took ~300 ms)
    """
    CREATE TABLE article_tags (
        tag TEXT NOT NULL,
        sort_time TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        PRIMARY KEY (tag, sort_time, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX article_tags_by_article ON article_tags (article_id);
    INSERT OR IGNORE INTO article_tags (tag, sort_time, article_id)
        SELECT DISTINCT t.value, a.sort_time, a.id FROM articles a, json_each(a.categories) t
        WHERE t.type = 'text';
    CREATE TRIGGER article_tags_inserted AFTER INSERT ON articles BEGIN
        INSERT OR IGNORE INTO article_tags (tag, sort_time, article_id)
            SELECT value, new.sort_time, new.id FROM json_each(new.categories)
            WHERE type = 'text';
    END;
    CREATE TRIGGER article_tags_updated AFTER UPDATE OF categories, sort_time ON articles
    BEGIN
        DELETE FROM article_tags WHERE article_id = new.id;
        INSERT OR IGNORE INTO article_tags (tag, sort_time, article_id)
            SELECT value, new.sort_time, new.id FROM json_each(new.categories)
            WHERE type = 'text';
    END;
    """,
    # 10: the few hidden articles by id, so a count can leave them out without reading every
    # counted article's row (``hidden`` sits after the long text columns: the day counts of a
    # tag on 32,817 of 100k articles took 63.3 ms through the rows, 21.7 ms with this)
    """
    CREATE INDEX articles_hidden ON articles (id) WHERE hidden = 1;
    """,
    # 11: related articles read fewer pages on a first touch: weights as integers of
    # ``WEIGHT_SCALE`` steps (1-2 bytes, not an 8-byte float) and each row carries its
    # article's copy group and hidden flag (kept by trigger), so the candidates' own rows —
    # long text before those columns — are never read (bench/related.py)
    """
    CREATE TABLE article_features_11 (
        feature INTEGER NOT NULL,
        weight INTEGER NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        group_id INTEGER,
        hidden INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (feature, weight, article_id)
    ) WITHOUT ROWID;
    INSERT INTO article_features_11 (feature, weight, article_id)
        SELECT feature, max(1, min(32767, CAST(round(weight * 32767) AS INTEGER))), article_id
        FROM article_features ORDER BY 1, 2, 3;
    DROP TABLE article_features;
    ALTER TABLE article_features_11 RENAME TO article_features;
    CREATE INDEX article_features_by_article ON article_features (article_id);
    UPDATE article_features
        SET group_id = (SELECT group_id FROM articles WHERE id = article_features.article_id)
        WHERE article_id IN (SELECT id FROM articles WHERE group_id IS NOT NULL);
    UPDATE article_features SET hidden = 1
        WHERE article_id IN (SELECT id FROM articles WHERE hidden = 1);
    CREATE TRIGGER article_features_follow AFTER UPDATE OF group_id, hidden ON articles
    WHEN old.group_id IS NOT new.group_id OR old.hidden IS NOT new.hidden BEGIN
        UPDATE article_features SET group_id = new.group_id, hidden = new.hidden
            WHERE article_id = new.id;
    END;
    """,
    # 12: the read-also and related links the outlet's page showed, in page order; ``url_key``
    # is the link's address as dedupe keys it, so a link finds our copy of the article it
    # names through ``articles_by_url_key`` / ``articles_by_canonical_key``; and the social
    # posts and media the page embedded (kept out of the text), in page order; and each
    # source's section shares as ``khabar reanalyze`` estimated them (JSON)
    """
    ALTER TABLE sources ADD COLUMN section_priors TEXT;
    CREATE TABLE article_links (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('read_also', 'related')),
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        url_key TEXT NOT NULL,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE article_embeds (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('tweet', 'youtube', 'instagram', 'facebook')),
        url TEXT,
        text TEXT NOT NULL,
        author TEXT,
        published TEXT,
        language TEXT,
        PRIMARY KEY (article_id, position)
    ) WITHOUT ROWID;
    """,
)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks; returns the schema version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        _apply(conn, number, script)
    return len(MIGRATIONS)


def _apply(conn: sqlite3.Connection, number: int, script: str) -> None:
    statements = [s.strip() for s in _split(script) if s.strip()]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in statements:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split(script: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    out: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current)
            current = ""
    if current.strip():
        out.append(current)
    return out
