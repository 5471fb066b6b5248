"""The data package's codebook: what each table and column means, written for the people who use the data.

The models' help texts speak to the secretariat's editors ("leave empty where...");
these speak to a researcher opening the CSVs. A column is described by its table's
entry, else by its name's (the same column in several tables), and tests hold every
column of the package to having one.
"""

TABLES = {
    "meetings": "One row per annual meeting of the Forum, Brussels 2007 to Mauritius 2012, with what our sources "
    "cover of it.",
    "roundtables": "The roundtables of each meeting (in 2011, its thematic clusters), in the government meeting or "
    "the Civil Society Days, as held or as planned before the meeting.",
    "sessions": "The sessions of the roundtables, as held or as a concept paper planned them. Count the rows whose "
    "stage is held for what a meeting held: a plain count adds plans to sessions held.",
    "recommendations": "Recommendations, follow-up actions, outcomes sought, key messages and feedback, each quoted "
    "from its source. A lettered sub-point is a row of its own, pointing to its numbered point (parent_id). Rows "
    "whose stage is planned are plans and preparatory drafts; rows with an event_id are points of another event "
    "reported beside a meeting, not the meeting's own.",
    "activities": "The activities the Global Migration Group proposed for the roundtables of Brussels 2007 (the GMG "
    "matrix), by section.",
    "sub-activities": "The specific sub-activities listed under a proposed activity, in the matrix's order.",
    "objectives": "The objectives listed for a proposed activity, in the matrix's order.",
    "sections": "The lettered sections of the GMG matrix, each under a roundtable of Brussels 2007.",
    "agencies": "The members of the Global Migration Group named in the matrix.",
    "themes": "The knowledge base's cross-year themes: its own grouping, not the Forum's.",
    "sources": "The documents and web pages the records are quoted from. Each record's source_id points here.",
    "milestones": "Dated steps in a meeting's preparation or follow-up, as a source lists them.",
    "events": "Other meetings (a workshop, an expert meeting) that a source reports beside a GFMD meeting. Their "
    "points are in recommendations.csv with their event_id; they are not the GFMD meeting's.",
    "passages": "Passages of the sources shown on a meeting's or a source's page: context quoted as printed.",
    "links": "Links by editors between records: a planned session and the session it was held as, a point "
    "and the same point as another source reports it, a follow-up action and the recommendation it restates, "
    "builds on, follows up or answers. Each row goes from one record to another, a session, a recommendation or "
    "a GMG proposed activity, with what the editor checked and the source's words that show it. The columns "
    "held_as_id of sessions.csv and also_reported_as_id of recommendations.csv give the same links of those two "
    "types.",
    "tags": "Free keywords (domestic workers, circular migration) attached to records through the *-tags tables.",
    "source-texts": "The whole text the knowledge base holds of each primary document, as extracted from its PDF "
    "or slides, damage and all (split words, stray page numbers, columns run together). The anchors' offsets "
    "count its characters.",
    "anchors": "Where each record's quoted text is in its source's text: one row per span (a text read across "
    "the matrix's columns has one per piece), as a W3C Web Annotation TextPositionSelector (start, end) and "
    "TextQuoteSelector (exact, prefix, suffix). /api/annotations/ gives the same as JSON-LD.",
}

# Why a table of records may have no rows in a release: the package says so in its description. (A link
# table with no rows, such as the further sources of milestones, is left out of the package.)
EMPTY_REASONS = {
    "events": "no source in the knowledge base reports another event beside a meeting",
    "passages": "no passage of a source is shown apart from the records",
    "milestones": "no source lists a meeting's milestones",
}

# Columns with the same meaning in every table that has them.
COLUMNS = {
    "id": "The row's identifier; other tables point to it as <table>_id. Stable across releases.",
    "source_id": "The source document this row is quoted from (sources.csv).",
    "source_location": "Where in that source: section, slide, page or item.",
    "editorial_note": "A remark of the knowledge base on this record, where it makes one: our reading, not the "
    "source's words.",
    "position": "Order within its list, as the source prints it, from 1.",
    "meeting_id": "The meeting (meetings.csv).",
    "roundtable_id": "The roundtable (roundtables.csv).",
    "session_id": "The session (sessions.csv), where the source says which.",
    "section_id": "The section of the GMG matrix (sections.csv).",
    "activity_id": "The proposed activity (activities.csv).",
    "year": "The year of the meeting.",
    "meeting": "The meeting's short name, as the site's addresses and the API give it: athens-2009.",
    "stage": "held: held at the meeting; planned: planned before it (a concept paper's plan or a preparatory "
    "draft). Count held rows for what a meeting held.",
    "page_url": "The record's page on the knowledge base's site.",
    "slug": "Short permanent name, as in the site's addresses.",
    "title": "The title as the source prints it; empty where no source gives one.",
    "text": "The source's words, with extraction damage repaired, never paraphrased.",
    "summary": "What the source says of it, quoted.",
    "number": "The number as the source prints it (2.1, 7, or b for a sub-point); empty where it prints none.",
    "track": "government: the government meeting; civil-society: the Civil Society Days.",
    "kind": "What kind of row it is (see the values allowed).",
    "name": "The name.",
    "description": "What it is, in the knowledge base's words.",
    "url": "Its own address on the web, where it has one.",
    "tag_id": "The tag (tags.csv).",
    "theme_id": "The theme (themes.csv).",
    "sourcedocument_id": "A further source the record also cites (sources.csv).",
    "gmgmember_id": "A GMG member listed with expertise for the activity (agencies.csv).",
    "proposedactivity_id": "The proposed activity (activities.csv).",
    "recommendation_id": "The recommendation or other point (recommendations.csv).",
    "milestone_id": "The milestone (milestones.csv).",
    "event_id": "The other event (events.csv).",
    "passage_id": "The passage (passages.csv).",
}

# Columns whose meaning is their table's own.
TABLE_COLUMNS = {
    "meetings": {
        "ordinal": "1 for the first meeting of the Forum, 2 for the second...",
        "year": "The year of the meeting.",
        "slug": "Short name: city and year, as the site's addresses and the API give it (athens-2009).",
        "city": "Where the government meeting was held.",
        "country": "The host country.",
        "chair": "The chairing government, and its envoy where a source names one.",
        "start_date": "First day of the government meeting.",
        "end_date": "Last day of the government meeting.",
        "civil_society_start_date": "First day of the Civil Society Days.",
        "civil_society_end_date": "Last day of the Civil Society Days.",
        "overarching_theme": "The meeting's theme, as the chair worded it.",
        "summary": "What the sources say of the meeting as a whole, quoted.",
        "sessions_coverage": "How many of the sessions held our sources give: complete (all), partial (some) or "
        "none. none means not in our sources, not that none were held.",
        "government_roundtables_held": "How many roundtables (or clusters) the government meeting held, where a "
        "source says so.",
        "sessions_held": "How many sessions were held, where a source says so, even when their titles are not in "
        "our sources.",
        "recommendations_coverage": "How many of the meeting's recommendations and outcomes our sources give: "
        "complete, partial or none (not in our sources, not zero).",
        "coverage_note": "Our words on what the sources cover of the meeting and what they do not.",
    },
    "roundtables": {
        "stage": "held: held at the meeting; planned: as a concept paper described it before the meeting.",
        "kind": "roundtable, or cluster (2011's thematic clusters).",
        "number": "The roundtable's number in its meeting and track.",
        "number_assigned": "true where no source numbers the roundtable and the number is our reading.",
        "group_heading": "A heading the source prints above several roundtables, such as 'Theme 1: ...'.",
        "summary": "The source's summary of the roundtable, quoted.",
    },
    "sessions": {
        "discussion": "What the session discussed, quoted from the source.",
        "co_chairs": "The co-chairing governments, where a source names them.",
        "number_assigned": "true where the session's number is ours, not the source's (IOM letters Manila's "
        "sessions a), b)... under each roundtable).",
        "held_as_id": "For a planned session: the session it was held as (sessions.csv), where the sources show it.",
        "stage": "held, or planned (a session a concept paper planned): its roundtable's stage. Count held rows "
        "for the sessions a meeting held (Mauritius 2012 held 7; 6 more were planned).",
    },
    "recommendations": {
        "roundtable_id": "The roundtable it came from; empty for a point of the meeting as a whole.",
        "stage": "held: an outcome of the meeting as held; planned: a plan or a preparatory draft, not an outcome.",
        "event_id": "For a point of another event reported beside the meeting: that event (events.csv). Such "
        "points are the event's, not the meeting's.",
        "kind": "recommendation, follow-up (follow-up action), outcome-sought, key-message or feedback.",
        "number_restored": "true where the source does not print this number or letter and it is restored by counting.",
        "also_reported_as_id": "The same point as another source reports it, kept as a row of its own.",
        "parent_id": "For a lettered sub-point: its numbered point (this table).",
        "group_heading": "The heading the source prints it under ('Rights', 'Circular migration').",
    },
    "sections": {
        "letter": "The section's letter, as printed: a, b, c...",
        "title": "The section's title, as printed.",
    },
    "activities": {"position": "Order within its section, from 1.", "text": "The activity, as the matrix prints it."},
    "agencies": {
        "acronym": "The agency's acronym, as the GMG spells it (UN-DESA).",
        "name": "The agency's full name.",
        "url": "The agency's website.",
    },
    "themes": {
        "name": "The theme's name.",
        "description": "What the theme covers, in the knowledge base's words.",
        "position": "Order of the themes on the site.",
    },
    "sources": {
        "title": "The document's title as printed.",
        "issuer": "The government, agency or group that issued the document.",
        "date": "The date the document bears; empty where it bears none.",
        "kind": "concept-paper, presentation, matrix, report or web-page.",
        "url": "Where the public can read the document, where it is online.",
        "description": "What the document is.",
        "place": "The place the document bears (a city), where it bears one.",
        "date_supplied": "For an undated document: our reading of when it was written ('late 2007'), never a date "
        "the document bears.",
    },
    "milestones": {"when": "The date as the source gives it: 'December 2011'.", "text": "The milestone, quoted."},
    "events": {
        "title": "The event's name, as the source gives it.",
        "when": "The dates as the source gives them, where it does.",
        "place": "Where it was held, where the source says.",
        "organiser": "Who held it, where the source says.",
        "meeting_id": "The GFMD meeting the source reports it beside (meetings.csv).",
        "summary": "What the source says of the event, quoted.",
    },
    "passages": {
        "meeting_id": "The meeting whose page shows it; empty for context shown on its source's page only.",
        "heading": "The heading the source prints above it, where it prints one.",
        "position": "Order among the passages of its meeting or source.",
        "text": "The source's words, one paragraph per line.",
    },
    "links": {
        "type": "How the first record stands to the second: held-as (a planned session and the session held), "
        "also-reported-as (the same point in two sources), restates, builds-on, follows-up or answers.",
        "from_session_id": "The session the link goes from (sessions.csv); empty where it goes from another kind "
        "of record.",
        "from_recommendation_id": "The recommendation the link goes from (recommendations.csv); empty where it "
        "goes from another kind of record.",
        "to_session_id": "The session the link goes to (sessions.csv); empty where it goes to another kind of record.",
        "to_recommendation_id": "The recommendation the link goes to (recommendations.csv); empty where it goes "
        "to a session or an activity.",
        "from_activity_id": "The GMG proposed activity the link goes from (activities.csv); empty where it goes "
        "from a session or a recommendation.",
        "to_activity_id": "The GMG proposed activity the link goes to (activities.csv); empty where it goes to a "
        "session or a recommendation.",
        "note": "What the editor checked, and where: our words, not the source's.",
        "quote": "The source's words that show the link, as printed; the note says where they are.",
    },
    "tags": {"name": "The keyword.", "slug": "Short form, as the site's addresses give it."},
    "source-texts": {
        "source_id": "The source document (sources.csv).",
        "text": "Its text as extracted, in the source's order; line breaks as the extraction gave them.",
    },
    "anchors": {
        "record_table": "The table of the record quoting the span: recommendations, sessions, activities...",
        "record_id": "The record's id in that table.",
        "field": "The record's column the span is quoted in (text, title, summary, discussion), or an "
        "activity's sub-activity or objective by its position ('objective 2').",
        "piece": "Which piece of that text, from 0, where the source prints it in several places.",
        "start": "Where the span starts in the source's text (source-texts.csv): characters before it.",
        "end": "Where the span ends: characters before its end.",
        "exact": "The source's text of the span, as extracted.",
        "prefix": "Up to 32 characters of the source's text before the span.",
        "suffix": "Up to 32 characters of the source's text after the span.",
        "repairs": "What the record's text repairs of the extraction in this span: what it restores (a lost "
        "number, a misread letter) and what of the extraction it leaves out (a stray page number).",
        "page_url": "The record's page on the knowledge base's site.",
    },
}


def table_description(name):
    return TABLES.get(name, "")


def column_description(table, column):
    """What a column of a table means to a reader, or "" where the codebook does not say."""
    return TABLE_COLUMNS.get(table, {}).get(column) or COLUMNS.get(column, "")


# How to read the package: the README's and the data page's words, written once.
GUIDE = [
    (
        "Counting right",
        [
            "Rows with stage planned are plans and preparatory drafts, not what a meeting held: count the rows "
            "whose stage is held. In sessions.csv Mauritius 2012 has 13 rows: 7 sessions held and 6 that the "
            "Chair's concept paper planned.",
            "A recommendation with an event_id is a point of another event (a workshop, an expert meeting) that "
            "a source reports beside a GFMD meeting: it is that event's, not the meeting's.",
            "Our sources give all, some or none of a meeting's sessions and recommendations: meetings.csv says "
            "which in sessions_coverage and recommendations_coverage (complete, partial, none), with "
            "sessions_held where a source gives the number held. For a meeting whose coverage is none, no rows "
            "means not in our sources, not zero: Brussels 2007 held 12 sessions, and none of their titles is in "
            "our sources.",
            "A lettered sub-point of a recommendation is a row of its own, whose parent_id is its numbered point: "
            "count the rows without parent_id for the numbered points.",
        ],
    ),
    (
        "Opening the CSV files",
        [
            "Each table is a CSV file in UTF-8, comma-separated, with a header row, quoted as RFC 4180 says. "
            "datapackage.json describes every column: its type, the values it takes, and which table a *_id "
            "column points to. frictionless validate datapackage.json checks the whole package.",
            "The values are exact: every text is as the knowledge base holds it. In Python, "
            "pandas.read_csv(path, dtype=str, keep_default_na=False) reads each cell as its text, and "
            "frictionless.Package('datapackage.json') reads the tables with their types; in R, "
            "readr::read_csv(path).",
            "In a spreadsheet: a cell that begins with =, +, - or @ would be run as a formula if the file were "
            "opened with a double click. Import it as text instead: in LibreOffice Calc, open the file, select "
            "every column in the Text Import dialog, set the column type to Text and leave Evaluate formulas "
            "unchecked; in Excel, use Data > From Text/CSV, then Transform Data and set every column's type to "
            "Text; in Google Sheets, use File > Import and leave Convert text to numbers, dates, and formulas "
            "unchecked. The site's lists also give a spreadsheet-safe CSV of any view (?format=csv on "
            "/sessions/, /recommendations/, /activities/), which writes such a cell with a leading apostrophe.",
            "Tables link by id: a row's source_id is the id of its row in sources.csv, and so on. Each table of "
            "records also gives its meeting's year and short name (meeting) and its page on the site (page_url), "
            "so that most questions need no join. A link table with no rows in a release is left out.",
        ],
    ),
]
