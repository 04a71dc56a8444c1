package com.dooneflow.engine.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.dooneflow.api.FieldError;
import com.dooneflow.api.RetryPolicy;
import com.dooneflow.api.StepSpec;
import com.dooneflow.api.WorkflowDefinition;
import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.spi.OutputDescriptor;
import com.dooneflow.api.spi.ParameterDescriptor;
import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.api.spi.TypeDescriptor;

/**
 * Checks a workflow against the types installed right now and names every problem by its path, such as
 * {@code actions[1].params.url}. Secret parameters count as present when the vault already holds them.
 *
 * <p>A template may only use variables that an earlier step declares among its outputs (the trigger's variables,
 * earlier actions' outputs). That is checked only as far as every earlier step names all it gives: a trigger with
 * open-ended data (the webhook's body fields) or a type that describes no outputs ends the check.
 *
 * <p>A parameter with an {@code optionSource} holds one of the organization's options of that source (a
 * Salesforce connection's name, team member ids, an inbox id), each item of a list too. Checked while the source
 * runs; a stopped connector's source cannot say, so its values are then taken as they are. A templated value is
 * known only at run time.
 */
final class WorkflowValidator {

    static final int MAX_ACTIONS = 50;
    /** Labels named in an error about an option, at most. */
    static final int MAX_LABELS = 20;

    private final List<TypeDescriptor> triggers;
    private final List<TypeDescriptor> actions;
    /** The organization's options of a source id; empty when no such source runs. */
    private final Function<String, Optional<List<Option>>> options;

    WorkflowValidator(List<TypeDescriptor> triggers, List<TypeDescriptor> actions) {
        this(triggers, actions, source -> Optional.empty());
    }

    WorkflowValidator(List<TypeDescriptor> triggers, List<TypeDescriptor> actions,
                      Function<String, Optional<List<Option>>> options) {
        this.triggers = triggers;
        this.actions = actions;
        this.options = options;
    }

    List<FieldError> validate(WorkflowDefinition def, Set<String> secretsSet) {
        List<FieldError> errors = new ArrayList<>();
        if (def.name() == null || def.name().isBlank()) {
            errors.add(new FieldError("name", "is required"));
        } else if (def.name().length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters"));
        }
        if (def.trigger() == null) {
            errors.add(new FieldError("trigger", "is required: {\"type\": ..., \"params\": {...}}"));
        } else {
            step("trigger", def.trigger(), triggers, "trigger", errors, secretsSet);
        }
        if (def.actions() == null || def.actions().isEmpty()) {
            errors.add(new FieldError("actions", "needs at least one action"));
        } else if (def.actions().size() > MAX_ACTIONS) {
            errors.add(new FieldError("actions", "may hold at most " + MAX_ACTIONS + " actions"));
        } else {
            for (int i = 0; i < def.actions().size(); i++) {
                StepSpec action = def.actions().get(i);
                String path = "actions[" + i + "]";
                if (action == null) {
                    errors.add(new FieldError(path, "is required"));
                    continue;
                }
                step(path, action, actions, "action", errors, secretsSet);
                retry(path + ".retry", action.retry(), errors);
            }
            if (def.trigger() != null) {
                variables(def, errors);
            }
        }
        return errors;
    }

    /** Templated parameters that use a variable no earlier step provides, while the earlier steps say all they give. */
    private void variables(WorkflowDefinition def, List<FieldError> errors) {
        Set<String> available = new LinkedHashSet<>();
        if (!provides(installed(triggers, def.trigger().type()), available)) {
            return;
        }
        for (int i = 0; i < def.actions().size(); i++) {
            StepSpec action = def.actions().get(i);
            Optional<TypeDescriptor> type = action == null ? Optional.empty() : installed(actions, action.type());
            if (type.isEmpty()) {
                return; // already reported; what it would give is unknown
            }
            for (ParameterDescriptor p : type.get().parameters()) {
                String at = "actions[" + i + "].params." + p.name();
                Object value = action.params().get(p.name());
                if (!p.templatable() || value == null || errors.stream().anyMatch(e -> e.field().equals(at))) {
                    continue;
                }
                List<String> unknown = Templates.variablesIn(value).stream()
                        .filter(name -> !provided(name, available)).toList();
                if (!unknown.isEmpty()) {
                    errors.add(new FieldError(at, "uses " + braced(unknown) + ", which no earlier step provides"
                            + " (available: " + (available.isEmpty() ? "none" : braced(available)) + ")"));
                }
            }
            if (!provides(type, available)) {
                return;
            }
        }
    }

    private static Optional<TypeDescriptor> installed(List<TypeDescriptor> types, String type) {
        return types.stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** Adds the type's outputs; false when they are open-ended or not described, so nothing later can be judged. */
    private static boolean provides(Optional<TypeDescriptor> type, Set<String> available) {
        if (type.isEmpty() || type.get().outputs().isEmpty()
                || type.get().outputs().stream().anyMatch(o -> o.name().equals(OutputDescriptor.ANY_FIELD))) {
            return false;
        }
        type.get().outputs().forEach(o -> available.add(o.name()));
        return true;
    }

    /** {@code a.b.c} is provided when {@code a}, {@code a.b} or {@code a.b.c} is (templates walk into objects). */
    private static boolean provided(String name, Set<String> available) {
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
            if (available.contains(name.substring(0, dot))) {
                return true;
            }
        }
        return available.contains(name);
    }

    private static String braced(Collection<String> names) {
        return names.stream().map(n -> "{" + n + "}").collect(Collectors.joining(", "));
    }

    private void step(String path, StepSpec spec, List<TypeDescriptor> installed, String kind,
                      List<FieldError> errors, Set<String> secretsSet) {
        if (spec.type() == null || spec.type().isBlank()) {
            errors.add(new FieldError(path + ".type", "is required"));
            return;
        }
        Optional<TypeDescriptor> type = installed.stream().filter(t -> t.type().equals(spec.type())).findFirst();
        if (type.isEmpty()) {
            errors.add(new FieldError(path + ".type", "'" + spec.type() + "' is not an installed " + kind + " type"
                    + " (installed: " + installed.stream().map(TypeDescriptor::type).sorted()
                    .collect(Collectors.joining(", ")) + ")"));
            return;
        }
        Map<String, Object> params = spec.params();
        for (ParameterDescriptor p : type.get().parameters()) {
            String at = path + ".params." + p.name();
            Object value = params.get(p.name());
            if (value == null || (value instanceof String s && s.isBlank())) {
                if (p.required() && !(p.secret() && secretsSet.contains(at))) {
                    errors.add(new FieldError(at, "is required"));
                }
                continue;
            }
            typeError(p, value).or(() -> constraintError(p, value)).or(() -> optionError(p, value))
                    .ifPresent(message -> errors.add(new FieldError(at, message)));
        }
        for (String name : params.keySet()) {
            boolean known = type.get().parameters().stream().anyMatch(p -> p.name().equals(name)
                    || (p.secret() && name.equals(p.name() + "Set")));
            if (!known) {
                errors.add(new FieldError(path + ".params." + name, "is not a parameter of " + spec.type()));
            }
        }
    }

    /** The values that are not among the organization's options of the parameter's source, named with the options. */
    private Optional<String> optionError(ParameterDescriptor p, Object value) {
        if (p.optionSource() == null || (p.templatable() && value instanceof String s
                && !Templates.variablesIn(s).isEmpty())) {
            return Optional.empty();
        }
        List<?> values = value instanceof List<?> list ? list : List.of(value);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<Option>> known = options.apply(p.optionSource());
        if (known.isEmpty()) {
            return Optional.empty();
        }
        Set<String> valid = known.get().stream().map(Option::value).collect(Collectors.toSet());
        List<String> unknown = values.stream().map(String::valueOf).filter(v -> !valid.contains(v.trim()))
                .distinct().toList();
        if (unknown.isEmpty()) {
            return Optional.empty();
        }
        String quoted = unknown.stream().map(v -> "'" + v + "'").collect(Collectors.joining(", "));
        String which = quoted + (unknown.size() == 1 ? " is" : " are") + " not among this organization's options for "
                + p.label() + " (" + p.optionSource() + ")";
        if (known.get().isEmpty()) {
            return Optional.of(which + ": it has none yet");
        }
        List<String> labels = known.get().stream().map(Option::label).toList();
        String listed = String.join(", ", labels.subList(0, Math.min(labels.size(), MAX_LABELS)))
                + (labels.size() > MAX_LABELS ? " and " + (labels.size() - MAX_LABELS) + " more" : "");
        return Optional.of(which + "; they are: " + listed);
    }

    /** What is wrong with a present value for its declared type, if anything. */
    static Optional<String> typeError(ParameterDescriptor p, Object value) {
        boolean template = p.templatable() && value instanceof String s && s.contains("{");
        return switch (p.type()) {
            case STRING, TEXT, URL -> value instanceof String ? Optional.empty() : Optional.of("must be a string");
            case SELECT -> !(value instanceof String s) ? Optional.of("must be one of " + p.options())
                    : p.options().contains(s) || template ? Optional.empty() : Optional.of("must be one of " + p.options());
            case INTEGER -> value instanceof Integer || value instanceof Long || template ? Optional.empty()
                    : Optional.of("must be a whole number");
            case BOOLEAN -> value instanceof Boolean || template ? Optional.empty() : Optional.of("must be true or false");
            case STRING_LIST -> value instanceof List<?> l && l.stream().allMatch(String.class::isInstance)
                    ? Optional.empty() : Optional.of("must be a list of strings");
            case OBJECT -> value instanceof Map ? Optional.empty() : Optional.of("must be an object");
            case JSON -> Optional.empty();
        };
    }

    /**
     * What breaks the descriptor's constraints in a value of the right type, if anything. A templated value is
     * known only at run time: of it only the URL's origin and the text around the variables are checked.
     */
    static Optional<String> constraintError(ParameterDescriptor p, Object value) {
        boolean template = p.templatable() && value instanceof String s && !Templates.variablesIn(s).isEmpty();
        if (p.type() == ParameterType.INTEGER && value instanceof Number n && !template) {
            return range(p, n.longValue());
        }
        if (!(value instanceof String s)) {
            return Optional.empty();
        }
        if (template) {
            int written = length(Templates.withoutPlaceholders(s));
            if (p.maxLength() != null && written > p.maxLength()) {
                return Optional.of("is " + written + " characters long without its variables; at most "
                        + p.maxLength() + " are allowed");
            }
            if (p.type() == ParameterType.URL) {
                return Templates.urlPathStart(s) < 0 ? Optional.of(Templates.URL_ORIGIN_RULE)
                        : urlError(Templates.withPlaceholdersAs(s, "x"));
            }
            return Optional.empty();
        }
        int length = length(s);
        if (p.minLength() != null && length < p.minLength()) {
            return Optional.of("must be at least " + p.minLength() + " characters long");
        }
        if (p.maxLength() != null && length > p.maxLength()) {
            return Optional.of("is " + length + " characters long; at most " + p.maxLength() + " are allowed");
        }
        if (p.pattern() != null && !Pattern.compile(p.pattern()).matcher(s).matches()) {
            return Optional.of(p.patternMessage() != null ? p.patternMessage() : "must match " + p.pattern());
        }
        return p.type() == ParameterType.URL ? urlError(s) : Optional.empty();
    }

    private static Optional<String> range(ParameterDescriptor p, long n) {
        boolean low = p.min() != null && n < p.min();
        boolean high = p.max() != null && n > p.max();
        if (!low && !high) {
            return Optional.empty();
        }
        if (p.min() != null && p.max() != null) {
            return Optional.of("must be between " + p.min() + " and " + p.max() + ", not " + n);
        }
        return Optional.of(low ? "must be at least " + p.min() + ", not " + n
                : "must be at most " + p.max() + ", not " + n);
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The rule the outbound calls apply (OutboundGuard.checkUrl), in words that do not repeat the value. */
    private static Optional<String> urlError(String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an absolute URL starting with http:// or https://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("has no valid host name");
        }
        return Optional.empty();
    }

    private static void retry(String path, RetryPolicy retry, List<FieldError> errors) {
        if (retry == null) {
            return;
        }
        if (retry.maxAttempts() != null && (retry.maxAttempts() < 1 || retry.maxAttempts() > 20)) {
            errors.add(new FieldError(path + ".maxAttempts", "must be between 1 and 20"));
        }
        if (retry.initialDelayMillis() != null && (retry.initialDelayMillis() < 0 || retry.initialDelayMillis() > 3_600_000)) {
            errors.add(new FieldError(path + ".initialDelayMillis", "must be between 0 and 3600000"));
        }
        if (retry.maxDelayMillis() != null && (retry.maxDelayMillis() < 0 || retry.maxDelayMillis() > 86_400_000)) {
            errors.add(new FieldError(path + ".maxDelayMillis", "must be between 0 and 86400000"));
        }
    }
}
