// Package generator turns a site folder (content/, layouts/, assets/, i18n/, site.toml) into a
// static site.
//
// # Pipeline
//
//	scan     walk content/: Markdown files and the files beside them (symlinks refused)
//	read     per file, in parallel: UTF-8 check, front matter (YAML/TOML, every bad key with its
//	         line), Markdown → HTML with goldmark + chroma (markdown package). Local links are
//	         replaced by placeholders, so a converted file depends only on its own bytes and path.
//	assemble per language: keys, URLs, sections (every folder is one), navigation order,
//	         prev/next, tags, translations, generated pages (home, sections, tags, 404, search);
//	         then URL clashes and aliases are checked across pages.
//	outputs  one registry of every file the build writes (pages, assets, content files,
//	         redirects, sitemap, feeds, robots.txt, search index): two writers of one path are
//	         an error naming both; every link and anchor is checked against it; render and the
//	         dev server write and answer exactly its paths.
//	render   html/template per page kind, in parallel; placeholders become final URLs here.
//	extra    assets (one minified, fingerprinted stylesheet; fingerprinted scripts; SRI),
//	         files beside pages, alias redirects, sitemap, Atom feeds, robots.txt, search index.
//	write    Output.WriteDir: under a lock, a new folder beside the target, synced, swapped in
//	         atomically; the target must be new, empty or an earlier output (.rahnuma-output).
//
// # Model
//
// A Site is immutable once loaded. Load builds one from scratch; Reload builds the next one from
// the previous, reading again only the files that changed and reusing every other converted
// file as it was, then re-running assemble, which touches no disk and no Markdown. The dev
// server keeps the current Site behind an atomic pointer and renders single files on request
// with Lookup, so the cost of an edit is one file's conversion plus an in-memory assembly, and
// the cost of a page view is that one page, whatever the size of the site.
//
// # Errors
//
// Problems are collected, never thrown: an ErrorList of Error{File, Line, Msg}, printed like a
// compiler's diagnostics, with warnings kept apart from errors. Nothing panics on bad input.
package generator
