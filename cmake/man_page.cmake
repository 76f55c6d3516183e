# cmake -P script: one man page from a program's --help and --version.
#   -DPROGRAM=<binary> -DCOMMAND=<subcommand or empty> -DTITLE=<page name> -DSUMMARY=<one line>
#   -DOUT=<file.1> -DHELP2MAN=<help2man path or empty>
# help2man when the build found it; else the help text as it is, in a plain roff page.
set(help_option "--help")
set(version_option "--version")
if(COMMAND)
  set(help_option "${COMMAND} --help")
  set(version_option "${COMMAND} --version")
endif()
if(HELP2MAN)
  execute_process(COMMAND ${HELP2MAN} --no-info --no-discard-stderr --name=${SUMMARY}
                          --help-option=${help_option} --version-option=${version_option} --output=${OUT} ${PROGRAM}
                  RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man ${PROGRAM} ${COMMAND}: ${err}")
  endif()
  return()
endif()
if(COMMAND)
  execute_process(COMMAND ${PROGRAM} ${COMMAND} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  execute_process(COMMAND ${PROGRAM} ${COMMAND} --version OUTPUT_VARIABLE version)
else()
  execute_process(COMMAND ${PROGRAM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  execute_process(COMMAND ${PROGRAM} --version OUTPUT_VARIABLE version)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} ${COMMAND} --help failed (${rc})")
endif()
string(STRIP "${version}" version)
string(REPLACE "\\" "\\e" help "${help}")
string(REGEX REPLACE "\n\\." "\n\\\\&." help "${help}")
string(TOUPPER "${TITLE}" upper)
file(WRITE ${OUT} ".TH ${upper} 1 \"\" \"${version}\" \"User Commands\"\n.SH NAME\n${TITLE} \\- ${SUMMARY}\n.SH DESCRIPTION\n.nf\n${help}.fi\n")
