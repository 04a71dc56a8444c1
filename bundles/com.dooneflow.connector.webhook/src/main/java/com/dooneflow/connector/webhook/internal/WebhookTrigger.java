package com.dooneflow.connector.webhook.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.spi.TriggerBinding;
import com.dooneflow.api.spi.TriggerSink;
import com.dooneflow.api.spi.TriggerSource;

/**
 * The {@code webhook} trigger type. It only routes: it keeps the engine's sink and a cache of path → enabled
 * workflow; {@link WebhookReceiverResource} does the HTTP part. The cache is refreshed lazily on the next
 * request after {@link #bindingsChanged()}, when it is 30 s old, and on a miss at most once a second (a
 * workflow enabled on another node); stale entries are harmless because the sink re-checks every workflow, and
 * commits nothing when the workflow's stored version is not the binding's (the receiver then checks the caller
 * again against a fresh binding).
 * <p>
 * Paths are one installation-wide namespace. A path is saved only in its normal form ({@link #PATH}), and
 * compared without regard to case ({@link #routingKey}); the engine stores that key under a unique index, so
 * two organizations can never hold one path. The router never chooses: should two bindings ever share a key,
 * neither receives anything.
 */
@Component(service = {TriggerSource.class, WebhookTrigger.class}, property = TriggerSource.TYPE + "=webhook")
public class WebhookTrigger implements TriggerSource {

    public static final String TYPE = "webhook";
    static final String AUTH_NONE = "none";
    static final String AUTH_KEY = "key";
    static final String AUTH_STANDARD = "standard-webhooks";
    /**
     * 1–200 characters: unreserved URL characters in segments separated by single slashes. "." and ".." are not
     * segments: HTTP clients normalise them away, so such a path could never be called.
     */
    static final Pattern PATH = Pattern.compile(
            "(?=.{1,200}$)(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+(/(?!\\.\\.?(/|$))[A-Za-z0-9._~-]+)*");

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTrigger.class);
    private static final long MAX_AGE = TimeUnit.SECONDS.toNanos(30);
    private static final long MISS_INTERVAL = TimeUnit.SECONDS.toNanos(1);

    static final String PATH_RULE = "must be 1-200 characters of letters, digits, '.', '_', '~' and '-' in segments "
            + "separated by single '/', without a leading or trailing '/' and without '.' or '..' segments";

    /** Where a request goes: the sink that was open when it was routed, and the workflow's trigger. */
    record Route(TriggerSink sink, TriggerBinding binding) {
        String authentication() {
            Object value = binding.params().get("authentication");
            return value == null ? AUTH_NONE : value.toString();
        }
    }

    private final LongSupplier nanoTime;
    private volatile TriggerSink sink;
    private volatile Map<String, TriggerBinding> routes = Map.of();
    private volatile long refreshedAt;
    private volatile boolean stale = true;
    private Set<String> reportedConflicts = Set.of();

    public WebhookTrigger() {
        this(System::nanoTime);
    }

    WebhookTrigger(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void open(TriggerSink sink) {
        // No query here: the engine's callback must not wait on the database; the first request loads routes.
        this.sink = sink;
        this.stale = true;
    }

    @Override
    public void close() {
        this.sink = null;
        this.routes = Map.of();
        this.stale = true;
    }

    @Override
    public void bindingsChanged() {
        stale = true;
    }

    /** A path that is not in normal form is refused at save, never rewritten (it would then receive nothing). */
    @Override
    public List<FieldError> validate(String organizationId, Map<String, Object> params) {
        Object path = params.get("path");
        if (path instanceof String s && !PATH.matcher(s).matches()) {
            return List.of(new FieldError("path", PATH_RULE));
        }
        return List.of();
    }

    /** The key a path is unique and routed by: paths differing only in case are one path. */
    static String routingKey(String path) {
        return path.toLowerCase(Locale.ROOT);
    }

    /** The workflow listening on {@code path}, if any (and if the engine is there to take the event). */
    Optional<Route> route(String path) {
        TriggerSink s = sink;
        if (s == null) {
            return Optional.empty();
        }
        // Callers may add slashes around the path; the saved path never has them.
        String key = routingKey(trimSlashes(path));
        if (stale || nanoTime.getAsLong() - refreshedAt > MAX_AGE) {
            refresh(s, MAX_AGE);
        }
        TriggerBinding binding = routes.get(key);
        if (binding == null) {
            refresh(s, MISS_INTERVAL);
            binding = routes.get(key);
        }
        return binding == null ? Optional.empty() : Optional.of(new Route(s, binding));
    }

    /** Reloads the routes unless another thread did within {@code minAge} (and nothing marked them stale). */
    private synchronized void refresh(TriggerSink s, long minAge) {
        long now = nanoTime.getAsLong();
        if (!stale && now - refreshedAt < minAge) {
            return;
        }
        stale = false;
        refreshedAt = now;
        List<TriggerBinding> bindings;
        try {
            bindings = s.bindings();
        } catch (RuntimeException e) {
            stale = true; // the old routes are not to be trusted for another MAX_AGE because one load failed
            throw e;
        }
        Map<String, TriggerBinding> next = new HashMap<>();
        Set<String> shared = new HashSet<>();
        Set<String> conflicts = new TreeSet<>();
        for (TriggerBinding b : bindings) {
            Object raw = b.params().get("path");
            String path = raw == null ? "" : raw.toString();
            if (!PATH.matcher(path).matches()) {
                conflicts.add("invalid path '" + raw + "' of workflow " + b.workflowId());
                continue;
            }
            String key = routingKey(path);
            TriggerBinding other = next.putIfAbsent(key, b);
            if (other != null) {
                shared.add(key);
                conflicts.add("path '" + path + "' is held by workflows " + other.workflowId() + " and "
                        + b.workflowId() + "; neither receives webhooks");
            }
        }
        // The database keeps keys unique; were it ever not so, no one gets another's webhooks.
        next.keySet().removeAll(shared);
        routes = Map.copyOf(next);
        if (!conflicts.isEmpty() && !conflicts.equals(reportedConflicts)) {
            LOG.warn("Webhook triggers that receive nothing: {}", conflicts);
        }
        reportedConflicts = conflicts;
    }

    private static String trimSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
