package com.dooneflow.connector.email.internal;

import javax.mail.Message;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.mail.JavaMailSender;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;
import org.apache.camel.component.mail.MailConsumer;
import org.apache.camel.component.mail.MailEndpoint;

/**
 * A camel-mail endpoint whose consumer marks an email as read only when the exchange says so
 * ({@value #MARK_AS_READ}): camel-mail marks every processed email as seen, but a workflow may ask to leave
 * emails unread. The commit still runs after the route processed the email, i.e. after it was stored.
 */
final class InboxMailEndpoint extends MailEndpoint {

    /** Exchange property: true to flag the email as seen once processed. */
    static final String MARK_AS_READ = "DooneFlowMarkAsRead";

    InboxMailEndpoint(String uri, MailComponent component, MailConfiguration configuration) {
        super(uri, component, configuration);
    }

    @Override
    public Consumer createConsumer(Processor processor, JavaMailSender sender) throws Exception {
        InboxMailConsumer consumer = new InboxMailConsumer(this, processor, sender);
        consumer.setHandleFailedMessage(getConfiguration().isHandleFailedMessage());
        consumer.setSkipFailedMessage(getConfiguration().isSkipFailedMessage());
        consumer.setMaxMessagesPerPoll(getMaxMessagesPerPoll());
        configureConsumer(consumer);
        return consumer;
    }

    static final class InboxMailConsumer extends MailConsumer {

        InboxMailConsumer(MailEndpoint endpoint, Processor processor, JavaMailSender sender) {
            super(endpoint, processor, sender);
        }

        @Override
        protected void processCommit(Message mail, Exchange exchange) {
            if (Boolean.TRUE.equals(exchange.getProperty(MARK_AS_READ, Boolean.class))) {
                super.processCommit(mail, exchange);
            }
        }

        /** One poll at a time, whether the scheduler or "poll now" asks for it. */
        @Override
        public synchronized void run() {
            super.run();
        }
    }
}
