#!/usr/bin/env bash
# IMAP IDLE benchmark against a real Dovecot started from a private configuration (needs root and Debian's
# dovecot-imapd): 50 emails handed to Dovecot's delivery agent (dovecot-lda), each timed until the email trigger
# accepted it (p50/p95, target p95 <= 2 s); then 200 inboxes watched with IDLE: the threads and heap they cost
# this JVM, Dovecot's processes and memory (proportional set size), and how fast one email reaches all 200.
# Usage: bench/email-idle.sh            (prints the BENCH lines; the test fails if p95 > 2 s)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dovecot >/dev/null || { echo "Dovecot is needed: apt-get install -y dovecot-imapd" >&2; exit 1; }
mvn -o -q -B test -pl bundles/com.dooneflow.connector.email -Dtest=DovecotIdleBench \
    -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep '^BENCH' || {
  echo "the benchmark failed: see bundles/com.dooneflow.connector.email/target/surefire-reports" >&2; exit 1; }
