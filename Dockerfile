# relaycheck in a container: a Debian 12 build stage, then a slim image holding only the
# installed tool (bin/, share/relaycheck, docs) and its runtime libraries.
#   docker build -t relaycheck .
#   docker run --rm relaycheck run --protocol saxion
#   docker run --rm -v "$PWD:/work" -w /work relaycheck run --profile ./my-server.yaml --report junit:out/junit.xml
# docs/ci.md uses it in CI recipes.
FROM debian:12 AS build
WORKDIR /src
# The build's packages (the main job's, scripts/install-deps), before the sources: a cached layer.
COPY scripts/install-deps scripts/
COPY scripts/lib/apt_install.sh scripts/lib/
RUN scripts/install-deps && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRELAYCHECK_TESTS=OFF \
 && cmake --build /build --target relaycheck relaycheck-server relaycheck-man \
 && cmake --install /build --prefix /opt/relaycheck --strip

FROM debian:12-slim
# The runtime libraries of the build's packages (Boost.Asio is header-only; the CLI links
# Boost.Program_options).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libyaml-cpp0.7 libssl3 libboost-program-options1.81.0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/relaycheck /opt/relaycheck
ENV PATH=/opt/relaycheck/bin:$PATH
WORKDIR /work
ENTRYPOINT ["relaycheck"]
CMD ["--help"]
