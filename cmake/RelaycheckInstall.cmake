# cmake --install build --prefix P: the two binaries in P/bin; the scenarios, profiles and
# requirement lists in P/share/relaycheck (found from bin/ through RELAYCHECK_DATA_REL); the docs
# in P/share/doc/relaycheck; man pages and the bash completion when the build made them.
# Then the Debian package (scripts/package: cpack -G DEB).
# Installing (and cpack) does not build `all` first (every test): scripts/package builds the two
# binaries it installs.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS relaycheck relaycheck-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The *-test-client profiles launch clients that only the test build has (build/tests/).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/scenarios/ DESTINATION ${RELAYCHECK_INSTALL_DATADIR}/scenarios
  PATTERN "*-test-client.yaml" EXCLUDE)
# `relaycheck coverage` reads <scenario root>/../docs/protocols/<id>.requirements.yaml.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/protocols/ DESTINATION ${RELAYCHECK_INSTALL_DATADIR}/docs/protocols
  FILES_MATCHING PATTERN "*.requirements.yaml")

install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  FILES_MATCHING PATTERN "*.md")

# Made by the CLI's own targets (man pages from the help, the completion file); installed when
# they exist at install time, so an install without them still works.
set(RELAYCHECK_MAN_DIR "${CMAKE_BINARY_DIR}/man" CACHE PATH "where the build writes relaycheck's man pages (*.1)")
set(RELAYCHECK_COMPLETION_DIR "${CMAKE_BINARY_DIR}/completion" CACHE PATH "where the build writes the bash completion files")
install(DIRECTORY ${RELAYCHECK_MAN_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL
  FILES_MATCHING PATTERN "*.1")
install(DIRECTORY ${RELAYCHECK_COMPLETION_DIR}/ DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions OPTIONAL)

# The .deb (scripts/package). Dependencies are the runtime libraries of the Debian 12 packages
# the build uses (shlibdeps works them out from the binaries).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "relaycheck")
set(CPACK_PACKAGE_VENDOR "relaycheck")
set(CPACK_PACKAGE_CONTACT "relaycheck maintainers <relaycheck@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "conformance harness and fuzzers for small chat protocols")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)   # debug info stays in the build tree
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGE_DIRECTORY "${CMAKE_BINARY_DIR}/package")
include(CPack)
