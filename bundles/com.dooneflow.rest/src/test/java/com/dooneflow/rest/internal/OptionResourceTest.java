package com.dooneflow.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import com.dooneflow.api.ConnectorRegistry;
import com.dooneflow.api.NotFoundException;
import com.dooneflow.api.Principal;
import com.dooneflow.api.Role;
import com.dooneflow.api.spi.ActionHandler;
import com.dooneflow.api.spi.OptionSource;
import com.dooneflow.api.spi.OptionSource.Option;
import com.dooneflow.api.spi.TriggerSource;
import com.dooneflow.api.spi.TypeDescriptor;
import com.dooneflow.testing.InMemoryOrganizationService;

class OptionResourceTest {

    private static final Principal ALICE = Principal.user("alice", "alice@example.com", "t-alice", null);
    private static final Principal BOB = Principal.user("bob", "bob@example.com", "t-bob", null);

    /** Answers each organization's own members, and records which organizations it was asked for. */
    private final List<String> asked = new ArrayList<>();
    private final OptionSource team = orgId -> {
        asked.add(orgId);
        return orgId.equals("org-a") ? List.of(new Option("tm-1", "Ann"), new Option("tm-2", "Bea"))
                : List.of(new Option("tm-9", "Theirs"));
    };

    private final OptionResource resource = new OptionResource(new InMemoryOrganizationService()
            .grant(ALICE, "org-a", Role.MEMBER).grant(BOB, "org-b", Role.OWNER),
            new Registry(Map.of("team.members", team)));

    private static SecurityContext as(Principal p) {
        return new Caller(p);
    }

    @Test
    void anyMemberReadsTheOrganizationsOptions() {
        Dto.Items<Option> items = resource.options(as(ALICE), "org-a", "team.members");

        assertThat(items.items()).containsExactly(new Option("tm-1", "Ann"), new Option("tm-2", "Bea"));
        assertThat(items.nextCursor()).isNull();
        assertThat(asked).containsExactly("org-a");
    }

    @Test
    void anotherOrganizationIsNotFoundAndItsSourceNeverAsked() {
        assertThatThrownBy(() -> resource.options(as(ALICE), "org-b", "team.members"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> resource.options(as(ALICE), "org-b", "no.such.source"))
                .isInstanceOf(NotFoundException.class);
        assertThat(asked).isEmpty();
    }

    @Test
    void anUnknownSourceIsNotFound() {
        assertThatThrownBy(() -> resource.options(as(ALICE), "org-a", "email.inboxes"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("email.inboxes");
        assertThat(new ProblemMapper().toResponse(new NotFoundException("no option source 'x' is installed"))
                .getStatus()).isEqualTo(404);
    }

    @Test
    void itAnswersTheListShapeAsJson() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(resource.options(as(BOB), "org-b", "team.members")))
                .isEqualTo("{\"items\":[{\"value\":\"tm-9\",\"label\":\"Theirs\"}],\"nextCursor\":null}");
    }

    /** Only option sources are installed. */
    private record Registry(Map<String, OptionSource> sources) implements ConnectorRegistry {
        @Override public List<TypeDescriptor> triggerTypes() { return List.of(); }
        @Override public List<TypeDescriptor> actionTypes() { return List.of(); }
        @Override public Optional<TypeDescriptor> actionType(String type) { return Optional.empty(); }
        @Override public TypeStatus status(String type) { return new TypeStatus(type, false, null, "none"); }
        @Override public List<TypeStatus> notRunning() { return List.of(); }
        @Override public List<SettingsPage> settingsPages() { return List.of(); }
        @Override public Optional<ActionHandler> actionHandler(String type) { return Optional.empty(); }
        @Override public Optional<TriggerSource> triggerSource(String type) { return Optional.empty(); }
        @Override public Optional<OptionSource> optionSource(String id) { return Optional.ofNullable(sources.get(id)); }
    }
}
