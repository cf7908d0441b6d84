"""Sentences for the detector's training mix and its test sets (data only; the logic is in
``fastscratch.data.synthesis``).

The published templates plant six to eight PII types in every document, and a cleaned document
always carries mask tokens. These banks add what a corpus scanned for leftover PII mostly holds:
short notes, messages and business prose with one value or none, values written another way
(``the card ending in 4242``), and numbers and handles that identify nobody. The placeholders
are those of ``fastscratch.data.templates`` (``{email}``, ``{amount}``, ...) plus the decoy
fillers of ``synthesis`` (``{order_no}``, ``{bad_card}``, ...).

``FAMILIES`` are the document families of the training mix; ``HELD_OUT_FAMILIES`` are written
only for evaluation ("a text family that no template of the training set wrote").
"""

from __future__ import annotations

# --------------------------------------------------------------------------- families

FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    # internal notes, audit and case notes: one to four sentences
    "note": {
        "open": (
            "Audit note:",
            "Case note ({date}):",
            "Note to file –",
            "Reviewer comment:",
            "Internal memo, {dept}:",
            "Follow-up for {name}:",
            "",
            "",
        ),
        "body": (
            "reviewed {n} invoices from {company} and found no exceptions.",
            "the reconciliation for {month} was signed off by {name} on {date}.",
            "customer asked for a copy of the statement; sent to {email}.",
            "left a voicemail on {phone} about the overdue balance of {amount}.",
            "identity confirmed with SSN {ssn} before the address change was processed.",
            "refund of {amount} went back to card {card} on {date}.",
            "the vendor portal {url} was down for most of the afternoon.",
            "no personal data was found in the sampled records.",
            "the sampled transactions agreed to the bank statements without exception.",
            "the control was operating effectively throughout {quarter} {year}.",
            "management agreed to fix the access review by {date2}.",
            "the client prefers to be contacted by e-mail at {email} rather than by phone.",
            "please call back on {phone} after {time}.",
            "the file for {name} at {company} is complete and can be archived.",
            "the variance of {pct} is explained by the timing of two large receipts.",
            "escalated to {role} because the balance exceeds {amount}.",
            "the contract renewal was approved; the signed copy is at {url}.",
            "policyholder {name} confirmed the loss details by phone.",
            "all {n} exceptions were cleared before the quarter closed.",
            "the adjuster will visit {address} next week.",
        ),
        "close": (
            "No further action needed.",
            "Next review on {date2}.",
            "– {name}",
            "Closed.",
            "",
            "",
        ),
    },
    # short messages between colleagues, or from and to customers
    "message": {
        "open": (
            "Hi {first},",
            "Hello team,",
            "Dear {name},",
            "Hey,",
            "Good morning,",
            "Quick update:",
            "",
        ),
        "body": (
            "can you send the updated figures before the {time} call?",
            "my new number is {phone}, the old one no longer works.",
            "please use {email} for anything related to the {month} invoice.",
            "the slides are uploaded to {url} if you want to take a look.",
            "I paid with my card {card} but the payment still shows as pending.",
            "my SSN is {ssn} if you need it for the form.",
            "thanks for the quick turnaround on the {service} proposal.",
            "the meeting moved to {date} at {time}, same room.",
            "I will be out of the office until {date2}; {name} is covering for me.",
            "the total came to {amount}, which is within the budget we agreed.",
            "could you check whether the transfer of {amount} arrived?",
            "let me know if you need anything else from {company}.",
            "I just sent the signed agreement back to you.",
            "we are still waiting for the purchase order from {company}.",
            "reach me on {phone} or at {email} this week.",
            "the portal at {url} asks me for a password reset every day.",
            "attached is the receipt for the {plan} plan.",
            "nothing urgent, just confirming that everything went through.",
        ),
        "close": (
            "Thanks,\n{first}",
            "Best regards,\n{name}",
            "Cheers",
            "Talk soon.",
            "Sent from my phone",
            "",
            "",
        ),
    },
    # business prose: project updates, plans and summaries
    "business": {
        "open": (
            "Project update – {month} {year}",
            "Summary of the {quarter} planning session",
            "Status report for the {dept} team",
            "Weekly operations review",
            "",
        ),
        "body": (
            "The migration of the billing platform is on track and should finish by {date2}.",
            "Spending for the quarter reached {amount}, {pct} below the approved budget.",
            "The team closed {n} of the open tickets and expects to clear the backlog next month.",
            "Customer satisfaction rose to {pct} after the new onboarding flow went live.",
            "{company} signed a {n}-month agreement for {service}, worth {amount} a year.",
            "Two vendors were shortlisted; the final decision rests with the {role}.",
            "Headcount in {dept} is unchanged, and one role remains open in {city}.",
            "The new reporting dashboard is available at {url} for everyone in the department.",
            "Questions about the rollout can go to {email}.",
            "The support line {phone} will be staffed until {time} during the cut-over.",
            "Risk remains {risk}: the main dependency is the data feed from {company}.",
            "We renegotiated freight terms, which saves roughly {amount} a year.",
            "The pilot in {city} processed {n} thousand transactions without an outage.",
            "Training for the new procedures is scheduled for the week of {date}.",
            "The board approved the budget of {amount2} for the next phase.",
            "One customer record, for {name}, still lists the SSN {ssn} in a free-text field.",
            "Card {card} was used for the test purchase and must be removed from the log.",
            "Leads from the {month} campaign converted at {pct}, the best result this year.",
            "No incidents were reported during the period.",
            "Action items were assigned to {name} and will be reviewed at the next meeting.",
        ),
        "close": (
            "Next update: {date2}.",
            "Prepared by {name}, {dept}.",
            "",
            "",
        ),
    },
    # order, shipping and support notifications
    "order": {
        "open": (
            "Your order has shipped!",
            "Order confirmation",
            "Support ticket update",
            "Delivery notice",
            "Payment received",
            "",
        ),
        "body": (
            "Thank you for your purchase from {company}.",
            "Your items will arrive on {date} between {time} and {time2}.",
            "The total charged was {amount}, including tax.",
            "We sent the receipt to {email}.",
            "If the courier cannot reach you, they will call {phone}.",
            "Track the delivery at {url}.",
            "The payment was made with card {card}.",
            "Your support request has been assigned to {name} in {dept}.",
            "We will reply within {n} business hours.",
            "The replacement part ships from our {city} warehouse.",
            "Please keep this message for your records.",
            "Returns are accepted within {n} days of delivery.",
            "Delivery address: {address}.",
            "Your subscription to the {plan} plan renews on {date2}.",
        ),
        "close": (
            "Thank you for shopping with us.",
            "– The {company} team",
            "Need help? Reply to this message.",
            "",
        ),
    },
}
"""The prose families of the training mix: ``open`` (one or none), two to seven ``body``
sentences in random order, ``close`` (one or none)."""

HELD_OUT_FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    # clinic and HR scheduling: vocabulary the training mix never uses
    "scheduling": {
        "open": (
            "Appointment reminder",
            "Hi {first}, this is the front desk.",
            "New hire onboarding – week one",
            "Shift schedule change",
            "",
        ),
        "body": (
            "Your check-up with Dr. {last} is booked for {date} at {time}.",
            "Please arrive fifteen minutes early to fill in the intake questionnaire.",
            "If you need to reschedule, text us at {phone}.",
            "Your benefits enrolment link is {url}; it expires in {n} days.",
            "Payroll will need your SSN ({ssn}) on the first day.",
            "The co-payment of {amount} can be settled with card {card} at reception.",
            "Lab results will be sent to {email} once the doctor has reviewed them.",
            "Badge photos are taken in the lobby of the {city} building.",
            "Your manager, {name}, will walk you through the safety briefing.",
            "Parking is free for patients in the east garage.",
            "The vaccination clinic runs every Tuesday until {date2}.",
            "Please bring a photo ID and your insurance card.",
            "Orientation covers the code of conduct, the leave policy and the expense rules.",
            "The late shift now starts at {time} and ends at {time2}.",
            "We look forward to seeing you.",
            "Uniform sizes should be confirmed by {date2}.",
        ),
        "close": (
            "See you soon!",
            "– Front desk",
            "Welcome aboard,\nPeople Team",
            "",
        ),
    },
}
"""Families kept out of every training mix, for the "other text family" evaluation."""

# --------------------------------------------------------------------------- values written another way

REWRITTEN: dict[str, tuple[str, ...]] = {
    "email": (
        "the e-mail address on file",
        "their registered e-mail address",
        "(e-mail withheld)",
        "{masked_email}",
        "our support inbox",
        "the address in the customer profile",
    ),
    "phone": (
        "the number on record",
        "the phone number on file",
        "{masked_phone}",
        "extension {ext}",
        "our main switchboard",
        "the customer’s usual number",
    ),
    "ssn": (
        "the SSN on file",
        "{masked_ssn}",
        "the last four digits of the SSN ({last_four})",
        "the taxpayer ID held by payroll",
        "(redacted)",
    ),
    "url": (
        "our website",
        "the client portal",
        "the online help centre",
        "the link in the previous e-mail",
        "the intranet page",
    ),
    "card": (
        "the card ending in {last_four}\n",
        "card number •••• {last_four}\n",
        "the card on file\n",
        "{masked_card}\n",
        "the company card\n",
    ),
}
"""Alternatives for a maskable value that is not there: a description, or a partial mask that
identifies nobody (``XXX-XX-4821``, ``j***@example.com``). A card block is written as one line."""

# --------------------------------------------------------------------------- decoys

HARD_NEGATIVES: tuple[str, ...] = (
    "Claim reference {claim_no} remains open.",
    "Invoice {invoice_no} was paid on {date}.",
    "Purchase order {po_no} covers {n} units at {amount} each.",
    "Ticket {ticket_no} was escalated to the {dept} team.",
    "Policy number {policy_no} renews on {date2}.",
    "Order {order_no} left the warehouse at {time}.",
    "The transaction ID is {long_digits}.",
    "Account reference {acct_ref} was updated in the ledger.",
    "Tracking number {tracking}.",
    "Release {version} fixed the rounding error in the tax report.",
    "See section {section} of the agreement.",
    "The workshop is in room {room}.",
    "Dial-in code {dialin}.",
    "Call the help desk on extension {ext}.",
    "Please reply before {time} on {date}.",
    "Ship to ZIP {zip}.",
    "The warehouse is at ZIP+4 {zip_plus_four}.",
    "Rates rose by {pct} year on year, to {amount}.",
    "The batch contained {n} records and {n2} duplicates.",
    "Reference {ref} was closed on {date2}.",
    "Meeting ID {meeting_id}.",
    "Build {build} passed all {n} checks.",
    "Serial number {serial} was registered on {date}.",
    "The fiscal year ends on {numeric_date}.",
    "Timestamp: {timestamp}.",
    "Case #{case_no} is pending review.",
)
"""Sentences whose numbers and identifiers identify nobody (label 0 whatever their shape)."""

NEAR_MISSES: tuple[str, ...] = (
    "The card number {bad_card} failed validation and was rejected.",
    "Test number {bad_card} is not a real card.",
    "Record {bad_ssn} is a placeholder, not an issued SSN.",
    "SSN field shows {bad_ssn} (invalid test value).",
    "Follow {handle} for product news.",
    "The icon file is {file_at} in the assets folder.",
    "The export was saved as {file_name}.",
    "Mail to {tldless_email} bounced: the server has no public domain.",
    "The staging site {bad_url} is only reachable from the office network.",
    "Dial {short_plus} for the front desk.",
    "The reference {luhn_free} is printed on the back of the form.",
    "Use the handle {handle} in the team chat.",
    "Version tag {file_name} was deployed.",
)
"""Sentences with values that look like PII and are not: card-length numbers that fail Luhn or
have no brand, SSNs in ranges never issued, handles and file names with ``@`` or dots, hosts
without a top-level domain, a ``+`` with too few digits (label 0)."""

REMNANTS: tuple[str, ...] = (
    "Previous contact details: [PHONE].",
    "(old e-mail removed: [EMAIL])",
    "Alternate number: [PHONE]",
    "The former address on file, [EMAIL], was deleted.",
    "Card [CREDIT_CARD] was replaced last year.",
    "Earlier correspondence referred to [SSN].",
    "The archived link [URL] no longer works.",
    "Fax: [PHONE]; secondary e-mail: [EMAIL].",
    "A second card, [CREDIT_CARD], was cancelled.",
    "Spouse SSN: [SSN].",
)
"""Mask tokens left by an earlier cleaning, in documents of any label: a document can hold a masked
value of a type and another value of the same type left in (label 1), which the published set,
with one value per type and all of them masked or none, never shows."""
