# Where the binaries find their data: RELAYCHECK_DATA_REL, the data directory relative to the
# binaries' (bin -> ../share/relaycheck), compiled into relaycheck; never an absolute path.
# The build tree gets the same layout: build/share/relaycheck/{scenarios,docs} are links to the
# source tree, so build/bin/relaycheck finds the scenarios the way an installed one does.
include(GNUInstallDirs)
set(RELAYCHECK_INSTALL_DATADIR "${CMAKE_INSTALL_DATADIR}/relaycheck")
file(RELATIVE_PATH RELAYCHECK_DATA_REL "/prefix/${CMAKE_INSTALL_BINDIR}" "/prefix/${RELAYCHECK_INSTALL_DATADIR}")

set(relaycheck_build_data "${CMAKE_BINARY_DIR}/bin/${RELAYCHECK_DATA_REL}")
cmake_path(NORMAL_PATH relaycheck_build_data)
file(MAKE_DIRECTORY "${relaycheck_build_data}")
foreach(dir scenarios docs)
  if(NOT EXISTS "${relaycheck_build_data}/${dir}")
    file(CREATE_LINK "${CMAKE_SOURCE_DIR}/${dir}" "${relaycheck_build_data}/${dir}" SYMBOLIC)
  endif()
endforeach()
