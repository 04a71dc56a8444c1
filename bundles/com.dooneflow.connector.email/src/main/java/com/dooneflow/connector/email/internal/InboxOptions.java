package com.dooneflow.connector.email.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.dooneflow.api.ConnectorSettings;
import com.dooneflow.api.spi.OptionSource;

/** {@code email.inboxes}: the organization's inboxes by id and address, for the {@code email.imap} trigger. */
@Component(property = OptionSource.ID + "=" + InboxOptions.ID)
public class InboxOptions implements OptionSource {

    public static final String ID = "email.inboxes";

    private final InboxStore inboxes;

    @Activate
    public InboxOptions(@Reference ConnectorSettings settings) {
        this.inboxes = new InboxStore(settings);
    }

    /** Oldest first, as the inbox list shows them; one that is not polled says so. */
    @Override
    public List<Option> options(String organizationId) {
        // By address, the way a person looks for one in a pick-list.
        return inboxes.list(organizationId).stream()
                .sorted(java.util.Comparator.comparing(Inbox::emailAddress))
                .map(i -> new Option(i.id(), i.active() ? i.emailAddress() : i.emailAddress() + " (inactive)"))
                .toList();
    }
}
