"""Personal data handled the way a Swedish public body must: declared, exportable, erasable, audited.

- `register`: one declaration per kind of personal data (what, why, who reads it, how long), tables and files.
- `locate`: where one person's data is, in the gradebook and on disk, found through the register.
- `export`: everything held about one person as JSON and a Swedish HTML summary, in one zip (GDPR art. 15).
- `erase`: one person out of every store, all or nothing, keeping aggregate figures by pseudonym (art. 17).
- `audit`: the append-only trail of who read, changed, exported or erased whose data.
- `document`: docs/PERSONAL_DATA.md, generated from the register.

Every operation is a plain function of a gradebook URL and the var/ and exercises/ folders, so the
command line runs it on one machine and a service can expose it for the district.
"""
