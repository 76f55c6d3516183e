#!/usr/bin/env bash
# The relaycheck-man target's page maker (cmake/man_page.cmake), for every command and the
# server: with help2man when it is installed, and always without it (the plain page from the
# help). Each page is named for its command and carries every flag its --help lists.
set -euo pipefail
bin=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
makers=("")
help2man=$(command -v help2man || true)
[ -n "$help2man" ] && makers+=("$help2man") || echo "note: help2man is not installed; only the plain pages are checked"
pages=0
for maker in "${makers[@]}"; do
  for cmd in "" list run report coverage load fuzz completion server; do
    program=$bin/relaycheck; command=$cmd; title=relaycheck${cmd:+-$cmd}
    if [ "$cmd" = server ]; then program=$bin/relaycheck-server; command=""; fi
    page=$work/$title.1
    cmake -DPROGRAM="$program" -DCOMMAND="$command" -DTITLE="$title" -DSUMMARY="summary of $title" -DOUT="$page" \
      -DHELP2MAN="$maker" -P "$src/cmake/man_page.cmake" || fail "cmake/man_page.cmake failed for $title (help2man: ${maker:-none})"
    upper=$(echo "$title" | tr a-z A-Z)
    grep -q "^\.TH \"\?$upper\"\? " "$page" || fail "$title.1 is not titled $upper: $(head -3 "$page")"
    grep -A1 '^\.SH NAME' "$page" | grep -q "^$title \\\\- summary of $title" || fail "$title.1 NAME: $(grep -A1 '^.SH NAME' "$page")"
    # Every --flag of the help is in the page (roff writes - as \-).
    text=$(sed 's/\\-/-/g' "$page")
    for flag in $("$program" $command --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u); do
      grep -qF -- "$flag" <<<"$text" || fail "$title.1 (help2man: ${maker:-none}) lacks $flag"
    done
    pages=$((pages + 1))
  done
done
echo "PASS: $pages man pages, each with every flag of its --help"
