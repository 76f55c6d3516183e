#!/usr/bin/env bash
# One protocol's whole suite against ONE long-running reference server (the HOST:PORT target),
# started once: serially, then with --jobs 4 against the same server. Scenarios share the
# server (unique names per run; fresh-server scenarios are skipped), and it must survive them.
# Scenarios tagged slow are left out: over the network they wait real minutes (cop's 5-minute
# inactivity rule, 6 scenarios, would add about half an hour).
# A server that announces more than its address (moose: "attribute public-key-pem ..." and
# "control listening on HOST:PORT") is described to relaycheck as an external server would be:
# the serial run through a profile (address, attributes from files, channels), the parallel run
# through --target HOST:PORT --attribute NAME=@FILE --channel NAME=HOST:PORT.
# Usage: attach_suite.sh BIN_DIR PROTOCOL [SERVER ARGS...]
set -euo pipefail
bin=$1
protocol=$2
shift 2
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; rm -rf "$out"' EXIT
"$bin/relaycheck-server" --protocol "$protocol" --listen 127.0.0.1:0 --log-level warn "$@" >"$out/stdout" 2>"$out/stderr" &
pid=$!
# Up to 30 s: moose makes an RSA key before it listens, slow on a loaded machine.
for _ in $(seq 600); do grep -q "^listening on" "$out/stdout" 2>/dev/null && break; sleep 0.05; done
address=$(sed -n 's/^listening on //p' "$out/stdout")
[ -n "$address" ] || { echo "server did not start"; cat "$out/stderr"; exit 1; }

# Its announcements before "listening on": attributes to files (values escape \n and \\),
# other channels as they are.
attributes=() channels=() profile_attributes= profile_channels=
while IFS= read -r line; do
  case "$line" in
    "attribute "*)
      rest=${line#attribute }
      name=${rest%% *}
      printf '%b' "${rest#"$name" }" >"$out/$name.attr"
      attributes+=(--attribute "$name=@$out/$name.attr")
      profile_attributes+="  $name: {file: $name.attr}"$'\n' ;;
    "listening on "*) break ;;
    *" listening on "*)
      name=${line%% listening on *}
      channels+=(--channel "$name=${line#* listening on }")
      profile_channels+="  $name: ${line#* listening on }"$'\n' ;;
  esac
done <"$out/stdout"
target=(--target "$address")
if [ ${#attributes[@]} -gt 0 ] || [ ${#channels[@]} -gt 0 ]; then
  {
    echo "name: shared-$protocol"
    echo "address: $address"
    [ -z "$profile_attributes" ] || printf 'attributes:\n%s' "$profile_attributes"
    [ -z "$profile_channels" ] || printf 'channels:\n%s' "$profile_channels"
  } >"$out/profile.yaml"
fi

for jobs in 1 4; do
  if [ -f "$out/profile.yaml" ] && [ "$jobs" = 1 ]; then
    target=(--profile "$out/profile.yaml")
    echo "== $protocol suite against $address (a profile: $(grep -c '^  ' "$out/profile.yaml") attributes and channels), --jobs $jobs"
  else
    target=(--target "$address" ${attributes[@]+"${attributes[@]}"} ${channels[@]+"${channels[@]}"})
    echo "== $protocol suite against $address ${channels[*]:-}, --jobs $jobs"
  fi
  "$bin/relaycheck" run --protocol "$protocol" "${target[@]}" --jobs "$jobs" --skip-tag slow --quiet --report text --report "json:$out/run-$jobs.json" \
    >"$out/text" 2>&1 || { cat "$out/text"; echo "the $protocol suite failed against the shared server (--jobs $jobs)"; exit 1; }
  tail -1 "$out/text"
  # Something really ran: a suite that skipped everything would pass vacuously.
  grep -q '"status": *"pass"' "$out/run-$jobs.json" || { echo "no scenario passed"; exit 1; }
  # A server with channels is driven through them: no scenario may be skipped for lack of one.
  if [ ${#channels[@]} -gt 0 ] && grep -q "has no '.*' channel" "$out/run-$jobs.json"; then
    echo "a scenario was skipped for a channel the server has"; exit 1
  fi
  kill -0 "$pid" || { echo "the server died during the run"; cat "$out/stderr"; exit 1; }
done
