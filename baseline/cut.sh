#!/usr/bin/env bash
# Cuts the API baseline: builds the published API artifacts from this checkout and stores them, as release VERSION,
# in the file repository baseline/repository that their builds compare against (baseline/README.md).
#
#   baseline/cut.sh 0.1.0            build, replace the stored VERSION, forget this machine's cached copy of it
#   baseline/cut.sh --forget 0.1.0   only forget the cached copy (after pulling a baseline someone else re-cut)
#
# Extra arguments after VERSION go to Maven (e.g. -o for offline).
set -euo pipefail
cd "$(dirname "$0")/.."

ARTIFACTS=(com.dooneflow.api com.dooneflow.testing com.dooneflow.testing.karaf)
GROUP=com.dooneflow
REPO=baseline/repository

forget_only=false
if [ "${1:-}" = "--forget" ]; then
  forget_only=true
  shift
fi
VERSION="${1:?usage: baseline/cut.sh [--forget] VERSION [maven options]}"
shift
case "$VERSION" in
  *-SNAPSHOT) echo "a baseline is a release: $VERSION is a snapshot" >&2; exit 2 ;;
esac

# A Maven expression's value (colour codes stripped: some Maven builds print them even in batch mode).
evaluate() {
  local expression="$1"
  shift
  mvn -B -q -N "$@" help:evaluate -Dexpression="$expression" -DforceStdout | sed 's/\x1b\[[0-9;]*m//g'
}

# Maven never downloads a release again once it is in the local repository, so a re-cut baseline would be
# ignored on this machine until its cached copy is gone.
forget_cached() {
  local local_repo
  local_repo="$(evaluate settings.localRepository "$@")"
  for artifact in "${ARTIFACTS[@]}"; do
    rm -rf "${local_repo:?}/${GROUP//.//}/$artifact/$VERSION"
  done
  echo "forgot cached copies of $VERSION in $local_repo"
}

if $forget_only; then
  forget_cached "$@"
  exit 0
fi

modules=$(printf 'bundles/%s,' "${ARTIFACTS[@]}")
# No install: the jars are taken from the reactor's target folders. The baseline check itself is skipped, since
# the point is to replace what it compares against.
mvn -B -q "$@" package -DskipTests -Dbnd.baseline.skip=true -pl "${modules%,}" -am

project_version="$(evaluate project.version "$@")"
source_commit="$(git describe --always --dirty)" # before this script changes the tree
for artifact in "${ARTIFACTS[@]}"; do
  jar="bundles/$artifact/target/$artifact-$project_version.jar"
  [ -f "$jar" ] || { echo "missing $jar" >&2; exit 1; }
  dir="$REPO/${GROUP//.//}/$artifact"
  rm -rf "${dir:?}/$VERSION"
  mkdir -p "$dir/$VERSION"
  cp "$jar" "$dir/$VERSION/$artifact-$VERSION.jar"
  # A pom without parent or dependencies: the baseline needs the classes and the manifest, nothing else.
  cat > "$dir/$VERSION/$artifact-$VERSION.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$GROUP</groupId>
  <artifactId>$artifact</artifactId>
  <version>$VERSION</version>
  <description>API baseline cut by baseline/cut.sh from $project_version at $source_commit</description>
</project>
POM
  for file in "$dir/$VERSION"/*.jar "$dir/$VERSION"/*.pom; do
    sha1sum "$file" | cut -d' ' -f1 > "$file.sha1"
  done
  echo "cut $dir/$VERSION from $jar"
done

forget_cached "$@"
