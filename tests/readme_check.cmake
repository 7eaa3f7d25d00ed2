# Fails unless the README holds the example program verbatim.
file(READ ${README} readme)
file(READ ${EXAMPLE} example)
string(FIND "${readme}" "${example}" position)
if(position EQUAL -1)
    message(FATAL_ERROR "README.md does not contain ${EXAMPLE} verbatim; paste the file into it again")
endif()
