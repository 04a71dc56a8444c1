-- wrk: POST a small JSON contact to the webhook.
wrk.method = "POST"
wrk.body = '{"name":"Ann Lee","phone":"+15551234567","email":"ann@example.com"}'
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d seconds=%.2f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
