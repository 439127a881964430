#!/usr/bin/env bash
# Writes nlb(8) to stdout: nlb.8.head, then a COMMANDS section made from `nlb <command> --help`
# for every command and subcommand (walked from the "Commands:" lists), then nlb.8.tail.
# Fails, naming it, when a command or an option has no help text: every command must explain itself.
# usage: nlb-man.sh <nlb binary> <version>
set -euo pipefail
nlb=$1
version=$2
here=$(cd "$(dirname "$0")" && pwd)

# One command's --help as roff. Entries are "  term  description"; a line indented deeper
# continues the description above it. Words in the text are escaped for roff (\ and -).
render() {
  awk -v path="$1" '
    function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); sub(/^[.\047]/, "\\\\&&", s); return s }
    /^[A-Z][A-Za-z ]*:$/ { section = substr($0, 1, length($0) - 1); next }
    /^$/ || section == "Description" || section == "Usage" { next }
    /^   / { line = $0; sub(/^ +/, "", line); desc[n] = desc[n] " " line; next }
    {
      line = substr($0, 3)
      n++
      sec[n] = section
      if (match(line, /  +/)) { term[n] = substr(line, 1, RSTART - 1); desc[n] = substr(line, RSTART + RLENGTH) }
      else { term[n] = line; desc[n] = "" }
    }
    END {
      split("Arguments Options Commands", order, " ")
      for (o = 1; o <= 3; o++) {
        heading = 0
        for (i = 1; i <= n; i++) {
          if (sec[i] != order[o]) continue
          if (desc[i] == "") { printf "nlb-man: `%s --help`: \"%s\" has no help text\n", path, term[i] > "/dev/stderr"; bad = 1 }
          if (term[i] ~ /(^|, )--help$/ || term[i] == "--version") continue
          if (!heading) { printf ".PP\n%s:\n", order[o]; heading = 1 }
          printf ".TP\n.B \"%s\"\n%s\n", esc(order[o] == "Commands" ? path " " term[i] : term[i]), esc(desc[i])
        }
      }
      exit bad
    }
  '
}

# One command: its usage as the heading, its description, its entries, then its subcommands.
section() {
  local path=$1 help body usage description
  # shellcheck disable=SC2086 # the path is words: "nlb lab up" -> lab up
  help=$("$nlb" ${path#nlb} --help)
  body=$(printf '%s\n' "$help" | render "$path")
  usage=$(printf '%s\n' "$help" | awk '/^Usage:$/ { getline; sub(/^ +/, ""); print; exit }')
  description=$(printf '%s\n' "$help" | awk '/^Description:$/ { on = 1; next } /^$/ { on = 0 } on { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = " " }')
  [ -n "$description" ] || { echo "nlb-man: \`$path --help\` has no description" >&2; return 1; }
  printf '.SS "%s"\n' "$(sed 's/\\/\\e/g; s/-/\\-/g' <<<"$usage")"
  sed 's/\\/\\e/g; s/-/\\-/g; s/^[.'"'"']/\\\&&/' <<<"$description"
  printf '%s\n' "$body"
  # Subcommands: the first word of each entry under "Commands:".
  printf '%s\n' "$help" | awk '/^Commands:$/ { on = 1; next } /^$/ { on = 0 } on && /^  [^ ]/ { print $1 }' |
    while read -r sub; do section "$path $sub"; done
}

sed "s/@VERSION@/$version/" "$here/nlb.8.head"
echo '.SH COMMANDS'
section nlb
sed "s/@VERSION@/$version/" "$here/nlb.8.tail"
