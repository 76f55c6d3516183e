# Sourced by scripts/fuzz and the fuzz benchmarks (bench/): one reader of OSS-Fuzz-style
# <target>.options files.
#
# options_flags FILE: the libFuzzer flags of an OSS-Fuzz-style <target>.options file ([libfuzzer]
# key = value, # comments), one per line; a relative dict is taken relative to FILE's directory.
options_flags() {
  local file=$1 dir section="" line key value
  dir=$(dirname "$file")
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=$(echo "$line" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
    [ -n "$line" ] || continue
    if [[ "$line" =~ ^\[(.*)\]$ ]]; then section=${BASH_REMATCH[1]}; continue; fi
    [ "$section" = libfuzzer ] || continue
    key=$(echo "${line%%=*}" | sed 's/[[:space:]]*$//')
    value=$(echo "${line#*=}" | sed 's/^[[:space:]]*//')
    if [ "$key" = dict ] && [[ "$value" != /* ]]; then value=$dir/$value; fi
    printf -- '-%s=%s\n' "$key" "$value"
  done <"$file"
}
