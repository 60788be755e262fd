DROP TABLE outbound_emails;
