# relaycheck-man: man pages made from the binaries' own --help (help2man when installed, else
# the help text in a plain page) in ${RELAYCHECK_MAN_DIR}, and the bash completion from
# `relaycheck completion` and `relaycheck-server --completion bash` in ${RELAYCHECK_COMPLETION_DIR}.
# cmake --install takes both when built.
find_program(RELAYCHECK_HELP2MAN help2man)
if(NOT RELAYCHECK_HELP2MAN)
  set(RELAYCHECK_HELP2MAN "")
endif()
set(RELAYCHECK_MAN_DIR "${CMAKE_BINARY_DIR}/man" CACHE PATH "where the build writes relaycheck's man pages (*.1)")
set(RELAYCHECK_COMPLETION_DIR "${CMAKE_BINARY_DIR}/completion" CACHE PATH "where the build writes the bash completion files")

set(man_pages "")
set(man_commands "" list run report coverage load fuzz completion)
set(man_summary_ "conformance harness for small chat protocols")
set(man_summary_list "list the conformance scenarios")
set(man_summary_run "run scenarios against a target and report")
set(man_summary_report "one HTML page from earlier runs' JSON reports")
set(man_summary_coverage "each spec requirement and the scenarios that test it")
set(man_summary_load "many clients against one server, every delivery checked")
set(man_summary_fuzz "the network fuzzer")
set(man_summary_completion "print the bash completion script")
foreach(cmd IN LISTS man_commands)
  if(cmd)
    set(page relaycheck-${cmd})
  else()
    set(page relaycheck)
  endif()
  add_custom_command(OUTPUT ${RELAYCHECK_MAN_DIR}/${page}.1
    COMMAND ${CMAKE_COMMAND} -E make_directory ${RELAYCHECK_MAN_DIR}
    COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:relaycheck> -DCOMMAND=${cmd} -DTITLE=${page}
            "-DSUMMARY=${man_summary_${cmd}}" -DOUT=${RELAYCHECK_MAN_DIR}/${page}.1 -DHELP2MAN=${RELAYCHECK_HELP2MAN}
            -P ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
    DEPENDS relaycheck ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
    COMMENT "man page ${page}.1" VERBATIM)
  list(APPEND man_pages ${RELAYCHECK_MAN_DIR}/${page}.1)
endforeach()
add_custom_command(OUTPUT ${RELAYCHECK_MAN_DIR}/relaycheck-server.1
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RELAYCHECK_MAN_DIR}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:relaycheck-server> -DTITLE=relaycheck-server
          "-DSUMMARY=the reference server for every protocol relaycheck knows" -DOUT=${RELAYCHECK_MAN_DIR}/relaycheck-server.1
          -DHELP2MAN=${RELAYCHECK_HELP2MAN} -P ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
  DEPENDS relaycheck-server ${CMAKE_SOURCE_DIR}/cmake/man_page.cmake
  COMMENT "man page relaycheck-server.1" VERBATIM)
list(APPEND man_pages ${RELAYCHECK_MAN_DIR}/relaycheck-server.1)
# bash-completion loads completions/<command name>.
add_custom_command(OUTPUT ${RELAYCHECK_COMPLETION_DIR}/relaycheck
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RELAYCHECK_COMPLETION_DIR}
  COMMAND sh -c "\"$1\" completion > \"$2\"" sh $<TARGET_FILE:relaycheck> ${RELAYCHECK_COMPLETION_DIR}/relaycheck
  DEPENDS relaycheck COMMENT "bash completion for relaycheck" VERBATIM)
add_custom_command(OUTPUT ${RELAYCHECK_COMPLETION_DIR}/relaycheck-server
  COMMAND ${CMAKE_COMMAND} -E make_directory ${RELAYCHECK_COMPLETION_DIR}
  COMMAND sh -c "\"$1\" --completion bash > \"$2\"" sh $<TARGET_FILE:relaycheck-server> ${RELAYCHECK_COMPLETION_DIR}/relaycheck-server
  DEPENDS relaycheck-server COMMENT "bash completion for relaycheck-server" VERBATIM)
add_custom_target(relaycheck-man DEPENDS ${man_pages} ${RELAYCHECK_COMPLETION_DIR}/relaycheck
  ${RELAYCHECK_COMPLETION_DIR}/relaycheck-server)
