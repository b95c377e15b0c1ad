-- Transparency: the publication scheme and the Specified Information Order's checklist, documents
-- with their versions and requests for other formats, the decisions register, spending over £500
-- and the registers about people and money. Portable SQL (docs/adr/0001-database.md).

-- One published thing in the publication scheme: a page, a document, a dataset or a register.
-- Where it comes from (a document, a register, the spending or the decisions here, or a page
-- elsewhere) decides its last published date; a page elsewhere is marked reviewed by hand.
CREATE TABLE transparency_item (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    -- The ICO model scheme's class, 1 to 7.
    class BIGINT NOT NULL CHECK (class BETWEEN 1 AND 7),
    -- What of the Order's it meets: a key of the checklist in code (scheme::ORDER), such as
    -- 'spending'; empty when the Order does not ask for it.
    requirement TEXT NOT NULL DEFAULT '',
    -- 'U' keep current, 'FY' yearly, 'Q' quarterly, 'M' monthly.
    frequency TEXT NOT NULL CHECK (frequency IN ('U', 'FY', 'Q', 'M')),
    -- The staff account that keeps it up to date.
    owner_id TEXT,
    -- 'document:{slug}', 'register:{slug}', 'spending', 'decisions' or 'link'.
    source TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    -- Set by hand for a link; the other sources carry their own dates.
    reviewed_on TEXT,
    last_reminded_on TEXT,
    created_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);

-- A document the office publishes. Each publication is a new version; earlier ones stay in the
-- archive.
CREATE TABLE transparency_document (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE transparency_document_version (
    document_id TEXT NOT NULL REFERENCES transparency_document (id),
    number BIGINT NOT NULL,
    -- The text as written ('## ' headings, blank lines between paragraphs, '- ' lists), or for an
    -- uploaded file its accessible summary.
    body TEXT NOT NULL,
    -- The HTML made from it by the publishing kit, frozen as published.
    html TEXT NOT NULL,
    file_id TEXT,
    change_note TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL,
    published_at TEXT NOT NULL,
    PRIMARY KEY (document_id, number)
);

-- Someone asking for a document in another format (large print, audio, Easy Read, a language).
CREATE TABLE transparency_format_request (
    reference TEXT PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES transparency_document (id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    format TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    received_on TEXT NOT NULL,
    reply_by TEXT NOT NULL,
    replied_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX transparency_format_request_received ON transparency_format_request (received_on);

-- The decisions register. A record is drafted, signed by the decision maker, then published;
-- the exempt part is never shown in public, its reason is.
CREATE TABLE transparency_decision (
    id TEXT PRIMARY KEY,
    -- 2026/015: the year and the number within it, given when the record is drafted.
    number TEXT NOT NULL UNIQUE,
    year BIGINT NOT NULL,
    sequence BIGINT NOT NULL,
    title TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    decision_maker TEXT NOT NULL,
    summary TEXT NOT NULL,
    reasons TEXT NOT NULL DEFAULT '',
    options TEXT NOT NULL DEFAULT '',
    financial TEXT NOT NULL DEFAULT '',
    report_url TEXT NOT NULL DEFAULT '',
    exempt_part TEXT NOT NULL DEFAULT '',
    exempt_reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'published')),
    signed_on TEXT,
    published_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (year, sequence)
);
CREATE INDEX transparency_decision_published ON transparency_decision (status, published_on);

-- How the office's finance system names its columns, saved once: JSON of field → header.
CREATE TABLE transparency_spend_mapping (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    mapping TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Payees the office has said are individuals: their payments are always published as
-- "Redacted personal data". Names are kept normalised (lower case, single spaces) and staff-only.
CREATE TABLE transparency_spend_individual (
    name_key TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
);

CREATE TABLE transparency_spend_import (
    id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    rows_imported BIGINT NOT NULL,
    rows_redacted BIGINT NOT NULL,
    rows_left_out BIGINT NOT NULL,
    first_paid_on TEXT,
    last_paid_on TEXT,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE transparency_supplier (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE transparency_expense_type (
    id BIGINT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One payment over £500. A redacted payment has no supplier: the name is never stored.
CREATE TABLE transparency_spend (
    transaction_id TEXT PRIMARY KEY,
    paid_on TEXT NOT NULL,
    supplier_id BIGINT REFERENCES transparency_supplier (id),
    amount_pence BIGINT NOT NULL,
    expense_type_id BIGINT NOT NULL REFERENCES transparency_expense_type (id),
    purpose TEXT NOT NULL DEFAULT '',
    import_id TEXT NOT NULL REFERENCES transparency_spend_import (id)
);
-- Newest first, with the transaction number as the tie-break, read straight from the index.
CREATE INDEX transparency_spend_paid ON transparency_spend (paid_on, transaction_id);
CREATE INDEX transparency_spend_supplier ON transparency_spend (supplier_id, paid_on);
CREATE INDEX transparency_spend_type ON transparency_spend (expense_type_id, paid_on);

-- An entry in one of the registers about people and money (contracts, grants, interests, gifts
-- and hospitality, senior salaries, allowances and expenses, the workforce). Its fields are JSON,
-- checked against the register's definition in code.
CREATE TABLE transparency_register_entry (
    id TEXT PRIMARY KEY,
    register TEXT NOT NULL,
    fields TEXT NOT NULL,
    -- The date the entry is about, for ordering and the compliance calendar.
    dated TEXT NOT NULL,
    removed BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX transparency_register_entry_register ON transparency_register_entry (register, dated);
