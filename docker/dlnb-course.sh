#!/bin/bash
# Docker Stacks start hook (sourced from /usr/local/bin/before-notebook.d):
# copies the dlnb course notebooks into ~/work/dlnb when a server starts.
# Under JupyterHub the home folder is a fresh or persistent volume, so the
# copy made at build time may be hidden; notebooks already there are kept
# as they are, because a student's edits must never be overwritten.
dlnb_course_dest="${HOME}/work/dlnb"
if [ -d "${DLNB_SRC:-/opt/dlnb}/notebooks" ] && mkdir -p "${dlnb_course_dest}" 2>/dev/null; then
    for dlnb_nb in "${DLNB_SRC:-/opt/dlnb}"/notebooks/*.ipynb; do
        [ -e "${dlnb_course_dest}/$(basename "${dlnb_nb}")" ] || cp "${dlnb_nb}" "${dlnb_course_dest}/"
    done
    unset dlnb_nb
fi
unset dlnb_course_dest
