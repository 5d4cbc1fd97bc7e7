# syntax=docker/dockerfile:1
#
# The dlnb course image: JupyterLab from the Jupyter Docker Stacks, plus Go,
# the dlnb kernel (GoNB) and the notebooks, with warm build caches so that
# a student's first cell is fast. It works as a plain container
# (docker run -p 8888:8888 ...) and as a JupyterHub single-user image
# (DockerSpawner, KubeSpawner / Zero to JupyterHub), because it keeps the
# Docker Stacks entrypoint and start scripts. See "The Docker image" in
# README.md.
#
# Every build step runs a command that CI also runs on a fresh machine:
# `dlnb install` and `dlnb run` (docker/dockerfile_test.go checks this file).

# The Go toolchain: the official image of the Go version in go.mod, pinned.
# It is Debian bookworm, which also provides Fashion-MNIST as a package.
FROM golang:1.26.8-bookworm AS go
RUN apt-get update \
 && apt-get install -y --no-install-recommends dataset-fashion-mnist \
 && rm -rf /var/lib/apt/lists/*

# JupyterLab, Python, tini and the start scripts, pinned by a dated tag.
FROM quay.io/jupyter/base-notebook:2025-11-10

USER root
COPY --from=go /usr/local/go /usr/local/go
COPY --from=go /usr/share/datasets/fashion-mnist /usr/share/datasets/fashion-mnist

# Go's caches live outside $HOME: JupyterHub mounts a volume over the home
# folder, which would hide caches warmed during the build.
ENV GOPATH=/opt/go \
    GOCACHE=/opt/go/cache \
    GOTOOLCHAIN=local \
    DLNB_SRC=/opt/dlnb \
    PATH=/opt/go/bin:/usr/local/go/bin:${PATH}
RUN mkdir -p /opt/go /opt/dlnb /usr/local/share/jupyter/kernels \
 && chown -R "${NB_UID}:${NB_GID}" /opt/go /opt/dlnb /usr/local/share/jupyter/kernels

# Copies the course into a student's work folder at every start, without
# touching notebooks that are already there (their edits are theirs).
COPY docker/dlnb-course.sh /usr/local/bin/before-notebook.d/10-dlnb-course.sh

USER ${NB_UID}
WORKDIR /opt/dlnb
COPY --chown=${NB_UID}:${NB_GID} . /opt/dlnb

# dlnb itself, then the kernel: GoNB, goimports and gopls are built from
# the versions pinned in go.mod, and the library is published to the
# kernel's offline module proxy, so nothing is fetched when cells run.
# /usr/local/share/jupyter is on Jupyter's system path, outside $HOME.
RUN go install ./cmd/dlnb \
 && dlnb install --prefix /usr/local

# Run the whole course once: it checks every notebook in this image and
# leaves the Go build and module caches warm.
RUN dlnb run -j 2 --out /tmp/course notebooks \
 && rm -rf /tmp/course \
 && mkdir -p "${HOME}/work/dlnb" \
 && cp -n notebooks/*.ipynb "${HOME}/work/dlnb/"

WORKDIR ${HOME}
EXPOSE 8888
# The entrypoint (tini + start.sh) and the command (start-notebook.py) come
# from the base image: token authentication stays on.
