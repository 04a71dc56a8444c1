package com.dooneflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.dooneflow.api.spi.ParameterType;
import com.dooneflow.engine.internal.Templates.Rendered;
import com.dooneflow.engine.internal.Templates.TemplateException;

class TemplatesTest {

    private static final String INJECTION = "Ann\",\"admin\":true";
    private static final String NASTY = "say \"hi\" \\ back\\slash\nnew line\r\n\ttab {other_var} {contact_name}";

    /** Ordered map; allows null values (Map.of does not). */
    private static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> contact() {
        return map("contact_name", "Ann Lee", "contact_phone", "+15551234567", "contact_email", "ann@example.com");
    }

    private static Rendered text(String template, Map<String, Object> vars) {
        return Templates.render(template, ParameterType.TEXT, vars);
    }

    @Nested
    class Text {

        @Test
        void guideSmsExample() {
            Map<String, Object> vars = contact();
            vars.put("team_member_name", "Bob");

            Rendered r = text("Hi {team_member_name}, new contact assigned: {contact_name} ({contact_phone}).", vars);

            assertThat(r.value()).isEqualTo("Hi Bob, new contact assigned: Ann Lee (+15551234567).");
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void unknownVariablesStayLiterallyAndAreReportedInOrderOfFirstAppearance() {
            Rendered r = text("{zeta} {contact_name} {alpha} {zeta} {team.id}", contact());

            assertThat(r.value()).isEqualTo("{zeta} Ann Lee {alpha} {zeta} {team.id}");
            assertThat(r.unknownVariables()).containsExactly("zeta", "alpha", "team.id");
        }

        @Test
        void unknownVariablesSetIsUnmodifiable() {
            Rendered r = text("{x}", Map.of());
            assertThatThrownBy(() -> r.unknownVariables().add("y")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void nullValueIsKnownAndRendersEmpty() {
            Rendered r = text("[{middle}]", map("middle", null));

            assertThat(r.value()).isEqualTo("[]");
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void numbersAndBooleansUseToString() {
            Rendered r = text("{i}/{l}/{d}/{b}/{big}", map("i", 42, "l", 15551234567L, "d", 2.5, "b", true,
                    "big", new BigDecimal("12.50")));
            assertThat(r.value()).isEqualTo("42/15551234567/2.5/true/12.50");
        }

        @Test
        void mapsAndListsRenderAsCompactJson() {
            Map<String, Object> vars = map("customer", map("name", "Ann", "age", 30, "vip", false, "note", null),
                    "items", List.of("a", 1, List.of()), "empty", Map.of());

            assertThat(text("c={customer} i={items} e={empty}", vars).value())
                    .isEqualTo("c={\"name\":\"Ann\",\"age\":30,\"vip\":false,\"note\":null} i=[\"a\",1,[]] e={}");
        }

        @Test
        void jsonTextEscapesQuotesBackslashesAndControlCharacters() {
            String s = "q\" b\\ n\n r\r t\t bs\b ff\f nul\u0000 us\u001f ls\u2028 ok/é";
            String rendered = (String) text("{v}", map("v", List.of(s))).value();

            assertThat(rendered).isEqualTo("[\"q\\\" b\\\\ n\\n r\\r t\\t bs\\b ff\\f nul\\u0000 us\\u001f ls\\u2028 ok/é\"]");
            assertThat(JsonParser.parse(rendered)).isEqualTo(List.of(s));
        }

        @Test
        void nonFiniteNumbersInJsonTextStayValidJson() {
            String rendered = (String) text("{v}", map("v", map("nan", Double.NaN, "inf", Float.POSITIVE_INFINITY)))
                    .value();
            assertThat(rendered).isEqualTo("{\"nan\":\"NaN\",\"inf\":\"Infinity\"}");
            assertThat(JsonParser.parse(rendered)).isEqualTo(map("nan", "NaN", "inf", "Infinity"));
        }

        @Test
        void valuesAreNeverRenderedAgain() {
            Map<String, Object> vars = map("a", "{b}", "b", "SECRET", "nasty", NASTY, "contact_name", "Ann");

            Rendered r = text("<{a}|{nasty}>", vars);

            assertThat(r.value()).isEqualTo("<{b}|" + NASTY + ">");
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void placeholderInsideAValueThatLooksUnknownIsNotReported() {
            Rendered r = text("{a}", map("a", "{missing}"));
            assertThat(r.value()).isEqualTo("{missing}");
            assertThat(r.unknownVariables()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"a\":1}", "{ }", "{}", "{1abc}", "{a.}", "{.a}", "{a..b}", "{ a}", "{a }",
                "{a-b}", "{a.b-c}", "{é}", "{", "}", "}{", "function() { return {x: 1}; }"})
        void anythingElseInBracesIsLiteral(String template) {
            Rendered r = text(template, map("a", "X", "x", "X", "1abc", "X", "a-b", "X"));

            assertThat(r.value()).isEqualTo(template);
            assertThat(r.unknownVariables()).isEmpty();
            assertThat(Templates.variablesIn(template)).isEmpty();
        }

        @Test
        void jsonishTextAroundPlaceholdersKeepsItsBraces() {
            Rendered r = text("{\"name\": \"{contact_name}\", \"x\": {1abc}} {{contact_phone}}", contact());
            assertThat(r.value()).isEqualTo("{\"name\": \"Ann Lee\", \"x\": {1abc}} {+15551234567}");
        }

        @Test
        void namesMayStartWithUnderscoreAndContainDigits() {
            assertThat(text("{_a1}{B_2}", map("_a1", "x", "B_2", "y")).value()).isEqualTo("xy");
        }

        @Test
        void variableLookupIsCaseSensitive() {
            Rendered r = text("{Contact_Name}", contact());
            assertThat(r.value()).isEqualTo("{Contact_Name}");
            assertThat(r.unknownVariables()).containsExactly("Contact_Name");
        }

        @ParameterizedTest
        @EnumSource(value = ParameterType.class, names = {"STRING", "TEXT", "SELECT"})
        void stringTextAndSelectInterpolate(ParameterType type) {
            Rendered r = Templates.render("to {contact_phone} {nope}", type, contact());
            assertThat(r.value()).isEqualTo("to +15551234567 {nope}");
            assertThat(r.unknownVariables()).containsExactly("nope");
        }

        @ParameterizedTest
        @EnumSource(ParameterType.class)
        void nullTemplateRendersNull(ParameterType type) {
            assertThat(Templates.render(null, type, contact())).isEqualTo(new Rendered(null, Set.of()));
        }

        @Test
        void nonStringTemplateOfATextTypePassesThrough() {
            Object template = 42;
            assertThat(Templates.render(template, ParameterType.STRING, contact()).value()).isSameAs(template);
        }

        @Test
        void nullVariablesMapMeansEverythingIsUnknown() {
            Rendered r = Templates.render("{a}", ParameterType.TEXT, null);
            assertThat(r.value()).isEqualTo("{a}");
            assertThat(r.unknownVariables()).containsExactly("a");
        }
    }

    @Nested
    class Paths {

        private final Map<String, Object> vars = map(
                "customer", map("name", "Ann", "address", map("city", "Oslo"), "nick", null),
                "items", List.of(map("sku", "A-1"), map("sku", "B-2", "tags", List.of("x", "y"))),
                "a.b", "exact",
                "a", map("b", "nested", "c", "only-nested"),
                "text", "plain");

        @Test
        void walksNestedMaps() {
            assertThat(text("{customer.name} in {customer.address.city}", vars).value()).isEqualTo("Ann in Oslo");
        }

        @Test
        void walksListIndexes() {
            assertThat(text("{items.0.sku},{items.1.sku},{items.1.tags.1}", vars).value()).isEqualTo("A-1,B-2,y");
        }

        @Test
        void exactDottedKeyWinsOverNestedWalk() {
            assertThat(text("{a.b}|{a.c}", vars).value()).isEqualTo("exact|only-nested");
        }

        @Test
        void dottedKeysInsideNestedMapsAndBacktracking() {
            Map<String, Object> v = map("x", map("y.z", "dotted-inner"),
                    "p.q", map("other", 1), "p", map("q", map("r", "backtracked")));
            assertThat(text("{x.y.z} {p.q.r}", v).value()).isEqualTo("dotted-inner backtracked");
        }

        @Test
        void nestedNullIsKnown() {
            Rendered r = text("[{customer.nick}]", vars);
            assertThat(r.value()).isEqualTo("[]");
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void nestedMapOrListRendersAsJson() {
            assertThat(text("{customer.address} {items.1.tags}", vars).value())
                    .isEqualTo("{\"city\":\"Oslo\"} [\"x\",\"y\"]");
        }

        @ParameterizedTest
        @ValueSource(strings = {"customer.phone", "customer.name.first", "items.2.sku", "items.first",
                "items.99999999999999", "text.length", "customer.nick.x", "missing.x", "items.0.sku.0"})
        void unresolvablePathsAreUnknown(String name) {
            Rendered r = text("<{" + name + "}>", vars);
            assertThat(r.value()).isEqualTo("<{" + name + "}>");
            assertThat(r.unknownVariables()).containsExactly(name);
        }

        @Test
        void walksNonStringKeyedAndHashMaps() {
            Map<String, Object> inner = new HashMap<>();
            inner.put("k", "v");
            assertThat(text("{m.k}", map("m", inner)).value()).isEqualTo("v");
        }
    }

    @Nested
    class Json {

        private Map<String, Object> salesforceTemplate() {
            return map("FirstName", "{contact_name}", "Phone", "{contact_phone}", "Email", "{contact_email}",
                    "LeadSource", "Webhook");
        }

        @Test
        void salesforcePayloadExample() {
            Map<String, Object> template = salesforceTemplate();
            Map<String, Object> before = new LinkedHashMap<>(template);

            Rendered r = Templates.render(template, ParameterType.JSON, contact());

            assertThat(r.value()).isEqualTo(map("FirstName", "Ann Lee", "Phone", "+15551234567",
                    "Email", "ann@example.com", "LeadSource", "Webhook"));
            assertThat(r.unknownVariables()).isEmpty();
            assertThat(r.value()).isNotSameAs(template);
            assertThat(template).isEqualTo(before);
        }

        @Test
        void salesforcePayloadWithMissingEmailKeepsPlaceholderAndReportsIt() {
            Map<String, Object> vars = contact();
            vars.remove("contact_email");

            Rendered r = Templates.render(salesforceTemplate(), ParameterType.JSON, vars);

            assertThat(r.value()).asInstanceOf(MAP).containsEntry("Email", "{contact_email}");
            assertThat(r.unknownVariables()).containsExactly("contact_email");
        }

        @Test
        void wholeValuePlaceholderKeepsTheJsonType() {
            Map<String, Object> template = map("n", "{n}", "b", "{b}", "m", "{m}", "l", "{l}", "z", "{z}",
                    "d", "{d}");
            Map<String, Object> vars = map("n", 42, "b", true, "m", map("k", "v"), "l", List.of(1, "two"),
                    "z", null, "d", 1.5);

            Rendered r = Templates.render(template, ParameterType.JSON, vars);

            assertThat(r.value()).isEqualTo(map("n", 42, "b", true, "m", map("k", "v"), "l", List.of(1, "two"),
                    "z", null, "d", 1.5));
            assertThat(((Map<?, ?>) r.value()).get("n")).isInstanceOf(Integer.class);
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void insertedMapsAreCopiesNotTheVariablesOwnObjects() {
            Map<String, Object> customer = map("name", "Ann");
            Rendered r = Templates.render(map("c", "{customer}"), ParameterType.JSON, map("customer", customer));

            Object inserted = ((Map<?, ?>) r.value()).get("c");
            assertThat(inserted).isEqualTo(customer).isNotSameAs(customer);
        }

        @Test
        void nonJsonValuesAreInsertedAsStrings() {
            Rendered r = Templates.render(List.of("{when}", "{c}"), ParameterType.JSON,
                    map("when", java.time.LocalDate.of(2024, 1, 2), "c", 'x'));
            assertThat(r.value()).isEqualTo(List.of("2024-01-02", "x"));
        }

        @Test
        void textAroundAPlaceholderMakesAString() {
            Rendered r = Templates.render(map("d", "Lead {contact_name}, age {age}", "pad", " {age}"),
                    ParameterType.JSON, map("contact_name", "Ann", "age", 42));
            assertThat(r.value()).isEqualTo(map("d", "Lead Ann, age 42", "pad", " 42"));
        }

        @Test
        void injectionAttemptStaysOneStringValue() {
            Map<String, Object> vars = contact();
            vars.put("contact_name", INJECTION);

            Rendered r = Templates.render(salesforceTemplate(), ParameterType.JSON, vars);
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) r.value();

            assertThat(payload).containsOnlyKeys("FirstName", "Phone", "Email", "LeadSource");
            assertThat(payload.get("FirstName")).isEqualTo(INJECTION);
            String json = Templates.toJson(payload);
            assertThat(json).startsWith("{\"FirstName\":\"Ann\\\",\\\"admin\\\":true\",");
            Object reparsed = JsonParser.parse(json);
            assertThat(reparsed).asInstanceOf(MAP).doesNotContainKey("admin").containsEntry("FirstName", INJECTION);
            assertThat(reparsed).isEqualTo(payload);
        }

        @Test
        void injectionAttemptInsideLongerTextStaysInsideTheString() {
            Rendered r = Templates.render(map("note", "Name: {contact_name}."), ParameterType.JSON,
                    map("contact_name", INJECTION));

            assertThat(r.value()).isEqualTo(map("note", "Name: " + INJECTION + "."));
            assertThat(JsonParser.parse(Templates.toJson(r.value()))).isEqualTo(map("note", "Name: " + INJECTION + "."));
        }

        @Test
        void quotesBackslashesNewlinesAndPlaceholdersInValuesSurviveExactlyAndAreNotExpanded() {
            Map<String, Object> vars = map("contact_name", NASTY, "other_var", "EXPANDED");

            Rendered r = Templates.render(map("whole", "{contact_name}", "inText", "[{contact_name}]",
                    "list", List.of("{contact_name}")), ParameterType.JSON, vars);

            assertThat(r.value()).isEqualTo(map("whole", NASTY, "inText", "[" + NASTY + "]", "list", List.of(NASTY)));
            assertThat(Templates.toJson(r.value())).doesNotContain("EXPANDED");
            assertThat(JsonParser.parse(Templates.toJson(r.value()))).isEqualTo(r.value());
            assertThat(r.unknownVariables()).isEmpty();
        }

        @Test
        void objectKeysAreNotRendered() {
            Rendered r = Templates.render(map("{contact_name}", "{contact_name}"), ParameterType.JSON, contact());

            assertThat(r.value()).isEqualTo(map("{contact_name}", "Ann Lee"));
            assertThat(Templates.variablesIn(map("{key_var}", "x"))).isEmpty();
        }

        @Test
        void walksNestedObjectsAndArraysAndLeavesOtherNodesAlone() {
            Map<String, Object> template = map("lead", map("name", "{contact_name}",
                    "tags", List.of("webhook", "{source}", 7, false)), "count", 3, "ok", true, "none", null,
                    "literal", "{\"a\":1}");

            Rendered r = Templates.render(template, ParameterType.JSON, map("contact_name", "Ann", "source", "form"));

            assertThat(r.value()).isEqualTo(map("lead", map("name", "Ann",
                    "tags", List.of("webhook", "form", 7, false)), "count", 3, "ok", true, "none", null,
                    "literal", "{\"a\":1}"));
        }

        @Test
        void templateTreeIsNeverMutated() {
            List<Object> tags = new ArrayList<>(List.of("{contact_name}"));
            Map<String, Object> inner = map("name", "{contact_name}", "tags", tags);
            Map<String, Object> template = map("inner", inner);

            Rendered r = Templates.render(template, ParameterType.JSON, contact());

            assertThat(inner).isEqualTo(map("name", "{contact_name}", "tags", List.of("{contact_name}")));
            assertThat(tags).containsExactly("{contact_name}");
            assertThat(((Map<?, ?>) r.value()).get("inner")).isNotSameAs(inner);
        }

        @Test
        void unknownWholeValuePlaceholderStaysAString() {
            Rendered r = Templates.render(List.of("{a}", "{b}", "{a}"), ParameterType.JSON, Map.of());

            assertThat(r.value()).isEqualTo(List.of("{a}", "{b}", "{a}"));
            assertThat(r.unknownVariables()).containsExactly("a", "b");
        }

        @Test
        void topLevelStringAndScalars() {
            assertThat(Templates.render("{n}", ParameterType.JSON, map("n", 5)).value()).isEqualTo(5);
            assertThat(Templates.render("n={n}", ParameterType.JSON, map("n", 5)).value()).isEqualTo("n=5");
            assertThat(Templates.render(12, ParameterType.JSON, map()).value()).isEqualTo(12);
        }

        @Test
        void nestedPathWholeValue() {
            Rendered r = Templates.render(map("sku", "{items.0.sku}", "addr", "{customer.address}"),
                    ParameterType.JSON, map("items", List.of(map("sku", "A-1")),
                            "customer", map("address", map("city", "Oslo"))));
            assertThat(r.value()).isEqualTo(map("sku", "A-1", "addr", map("city", "Oslo")));
        }

        @Test
        void placeholderWithSurroundingWhitespaceIsText() {
            Rendered r = Templates.render(map("n", " {n}"), ParameterType.JSON, map("n", 5));
            assertThat(r.value()).isEqualTo(map("n", " 5"));
        }
    }

    @Nested
    class StringList {

        @Test
        void stringElementsAreInterpolated() {
            List<Object> template = new ArrayList<>(Arrays.asList("{contact_email}", "cc-{x}", 5, null, "plain"));

            Rendered r = Templates.render(template, ParameterType.STRING_LIST, contact());

            assertThat(r.value()).isEqualTo(Arrays.asList("ann@example.com", "cc-{x}", 5, null, "plain"));
            assertThat(r.unknownVariables()).containsExactly("x");
            assertThat(template).containsExactly("{contact_email}", "cc-{x}", 5, null, "plain");
        }

        @Test
        void aListValueInsideAnElementIsJsonText() {
            Rendered r = Templates.render(List.of("{l}"), ParameterType.STRING_LIST, map("l", List.of("a", "b")));
            assertThat(r.value()).isEqualTo(List.of("[\"a\",\"b\"]"));
        }
    }

    @Nested
    class ObjectHeaders {

        @Test
        void valuesAreInterpolatedKeysAreNot() {
            Map<String, Object> template = map("Authorization", "Bearer {token}", "X-Contact", "{contact_name}",
                    "X-{contact_name}", "static", "X-Count", 3);

            Rendered r = Templates.render("headers", template, ParameterType.OBJECT,
                    map("token", "abc", "contact_name", "Ann"));

            assertThat(r.value()).isEqualTo(map("Authorization", "Bearer abc", "X-Contact", "Ann",
                    "X-{contact_name}", "static", "X-Count", 3));
            assertThat(template).containsEntry("Authorization", "Bearer {token}");
        }

        @Test
        void nestedMapsAndListsAreWalked() {
            Rendered r = Templates.render(map("outer", map("inner", "{a}", "list", List.of("{a}", 1))),
                    ParameterType.OBJECT, map("a", "A"));
            assertThat(r.value()).isEqualTo(map("outer", map("inner", "A", "list", List.of("A", 1))));
        }

        @Test
        void unknownVariableIsKeptAndReported() {
            Rendered r = Templates.render(map("X-A", "{nope}"), ParameterType.OBJECT, Map.of());
            assertThat(r.value()).isEqualTo(map("X-A", "{nope}"));
            assertThat(r.unknownVariables()).containsExactly("nope");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Ann\r\nX-Admin: true", "Ann\nX", "Ann\rX", "\n"})
        void lineBreakFromAVariableIsRejectedWithoutLeakingTheValue(String value) {
            assertThatThrownBy(() -> Templates.render("headers", map("X-Ok", "fine", "X-Name", "{contact_name}"),
                    ParameterType.OBJECT, map("contact_name", value)))
                    .isInstanceOf(TemplateException.class)
                    .isInstanceOf(RuntimeException.class)
                    .hasMessage("headers value 'X-Name' contains a line break")
                    .message().doesNotContain("Ann").doesNotContain("Admin");
        }

        @Test
        void lineBreakInTheTemplateItselfIsRejected() {
            assertThatThrownBy(() -> Templates.render(map("X-Name", "a\nb"), ParameterType.OBJECT, Map.of()))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("template value 'X-Name' contains a line break");
        }

        @Test
        void lineBreakInANestedValueNamesItsPath() {
            assertThatThrownBy(() -> Templates.render("headers", map("a", map("b", List.of("ok", "{v}"))),
                    ParameterType.OBJECT, map("v", "x\ny")))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("headers value 'a.b[1]' contains a line break");
        }

        @Test
        void lineBreakInsideAJsonRenderedValueIsEscapedAndAllowed() {
            Rendered r = Templates.render(map("X-Data", "{m}"), ParameterType.OBJECT, map("m", map("k", "a\nb")));
            assertThat(r.value()).isEqualTo(map("X-Data", "{\"k\":\"a\\nb\"}"));
        }

        @Test
        void otherTypesDoNotRejectLineBreaks() {
            assertThat(text("a {v}", map("v", "x\ny")).value()).isEqualTo("a x\ny");
            assertThat(Templates.render(map("k", "{v}"), ParameterType.JSON, map("v", "x\ny")).value())
                    .isEqualTo(map("k", "x\ny"));
        }
    }

    @Nested
    class IntegerAndBoolean {

        private Object integer(Object template, Map<String, Object> vars) {
            return Templates.render("timeoutSeconds", template, ParameterType.INTEGER, vars).value();
        }

        private Object bool(Object template, Map<String, Object> vars) {
            return Templates.render("markAsRead", template, ParameterType.BOOLEAN, vars).value();
        }

        @Test
        void singlePlaceholderConvertsNumbersAndNumericStrings() {
            assertThat(integer("{n}", map("n", 42))).isEqualTo(42);
            assertThat(integer("{n}", map("n", 42L))).isEqualTo(42);
            assertThat(integer("{n}", map("n", 42.0))).isEqualTo(42);
            assertThat(integer("{n}", map("n", new BigDecimal("4.20E+1")))).isEqualTo(42);
            assertThat(integer("{n}", map("n", "42"))).isEqualTo(42);
            assertThat(integer("{n}", map("n", " -7 "))).isEqualTo(-7);
            assertThat(integer("{n.v}", map("n", map("v", 3)))).isEqualTo(3);
        }

        @Test
        void interpolatedTextIsParsed() {
            assertThat(integer("1{n}", map("n", 5))).isEqualTo(15);
            assertThat(integer("30", map())).isEqualTo(30);
        }

        @Test
        void nonStringTemplatesPassThrough() {
            assertThat(integer(30, map())).isEqualTo(30);
            assertThat(integer(30L, map())).isEqualTo(30L);
            assertThat(bool(true, map())).isEqualTo(true);
        }

        @Test
        void nullVariableGivesNull() {
            Rendered r = Templates.render("{n}", ParameterType.INTEGER, map("n", null));
            assertThat(r.value()).isNull();
            assertThat(r.unknownVariables()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "4.5", "", "99999999999", "true"})
        void nonIntegerStringVariableIsRejectedWithoutItsValue(String value) {
            assertThatThrownBy(() -> integer("{n}", map("n", "secret-" + value)))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("timeoutSeconds: variable 'n' is not an integer");
            assertThatThrownBy(() -> integer("{n}", map("n", value)))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("timeoutSeconds: variable 'n' is not an integer");
        }

        @Test
        void nonIntegralOrOutOfRangeNumbersAreRejected() {
            for (Object n : List.of(4.5, 3_000_000_000L, Double.NaN, Double.POSITIVE_INFINITY, true, List.of(1))) {
                assertThatThrownBy(() -> integer("{n}", map("n", n)))
                        .isInstanceOf(TemplateException.class)
                        .hasMessage("timeoutSeconds: variable 'n' is not an integer");
            }
        }

        @Test
        void interpolatedNonIntegerIsRejected() {
            assertThatThrownBy(() -> integer("{n} seconds", map("n", 5)))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("timeoutSeconds: rendered text is not an integer")
                    .message().doesNotContain("5 seconds");
        }

        @Test
        void unknownVariableIsRejectedByName() {
            assertThatThrownBy(() -> integer("{n}", map()))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("timeoutSeconds: unknown variable 'n'");
            assertThatThrownBy(() -> integer("{a}{b}", map()))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("timeoutSeconds: unknown variables 'a', 'b'");
            assertThatThrownBy(() -> Templates.render("{n}", ParameterType.BOOLEAN, map()))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("template: unknown variable 'n'");
        }

        @Test
        void booleansFromBooleansAndTrueFalseStrings() {
            assertThat(bool("{b}", map("b", true))).isEqualTo(true);
            assertThat(bool("{b}", map("b", Boolean.FALSE))).isEqualTo(false);
            assertThat(bool("{b}", map("b", "true"))).isEqualTo(true);
            assertThat(bool("{b}", map("b", " FALSE "))).isEqualTo(false);
            assertThat(bool("false", map())).isEqualTo(false);
            assertThat(bool("{x}{y}", map("x", "tr", "y", "ue"))).isEqualTo(true);
        }

        @Test
        void nonBooleansAreRejectedWithoutTheirValue() {
            for (Object b : List.of("yes", 1, "1", "secret")) {
                assertThatThrownBy(() -> bool("{b}", map("b", b)))
                        .isInstanceOf(TemplateException.class)
                        .hasMessage("markAsRead: variable 'b' is not true or false");
            }
            assertThatThrownBy(() -> bool("maybe {b}", map("b", true)))
                    .isInstanceOf(TemplateException.class)
                    .hasMessage("markAsRead: rendered text is not true or false");
        }
    }

    @Nested
    class VariablesIn {

        @Test
        void listsPlaceholdersAnywhereInOrderWithoutDuplicatesAndWithoutKeys() {
            Object template = map("FirstName", "{contact_name}", "{key}", List.of("{items.0.sku} and {contact_name}",
                    map("deep", "x {customer.address.city} {\"a\":1} {1abc}")), "n", 3, "z", null);

            assertThat(Templates.variablesIn(template))
                    .containsExactly("contact_name", "items.0.sku", "customer.address.city");
        }

        @Test
        void guideSmsExampleAndEdgeCases() {
            assertThat(Templates.variablesIn(
                    "Hi {team_member_name}, new contact assigned: {contact_name} ({contact_phone})."))
                    .containsExactly("team_member_name", "contact_name", "contact_phone");
            assertThat(Templates.variablesIn(null)).isEmpty();
            assertThat(Templates.variablesIn(42)).isEmpty();
            assertThat(Templates.variablesIn("{{x}}")).containsExactly("x");
        }
    }

    /** A strict, minimal JSON parser used to prove that written JSON is valid and round-trips. */
    static final class JsonParser {
        private final String s;
        private int i;

        private JsonParser(String s) {
            this.s = s;
        }

        static Object parse(String json) {
            JsonParser p = new JsonParser(json);
            Object v = p.value();
            p.ws();
            if (p.i != json.length()) {
                throw new IllegalArgumentException("trailing text at " + p.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private void expect(char c) {
            ws();
            if (i >= s.length() || s.charAt(i) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + i);
            }
            i++;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    if (m.containsKey(k)) {
                        throw new IllegalArgumentException("duplicate key " + k);
                    }
                    expect(':');
                    m.put(k, value());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != '}') {
                    throw new IllegalArgumentException("expected } at " + (i - 1));
                }
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                do {
                    l.add(value());
                    ws();
                } while (s.charAt(i++) == ',');
                if (s.charAt(i - 1) != ']') {
                    throw new IllegalArgumentException("expected ] at " + (i - 1));
                }
                return l;
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            int start = i;
            while (i < s.length() && "-+.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(start, i);
            if (num.isEmpty()) {
                throw new IllegalArgumentException("unexpected " + c + " at " + start);
            }
            BigDecimal d = new BigDecimal(num);
            try {
                return d.intValueExact();
            } catch (ArithmeticException e) {
                return d.doubleValue();
            }
        }

        private String string() {
            if (s.charAt(i) != '"') {
                throw new IllegalArgumentException("expected string at " + i);
            }
            i++;
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("raw control character at " + (i - 1));
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape at " + (i - 1));
                }
            }
        }
    }
}
