"""Document templates for :func:`fastscratch.data.synthesize` (data only, no logic).

Template mini-language, parsed by ``fastscratch.data``:

* ``{name}``, ``{card}``, ``{email}``, ``{url}``, ``{phone}``, ``{address}``,
  ``{company}``, ``{ssn}``: the row's PII values (one value per type and row, so a
  placeholder used twice plants the same value twice).
* ``{date}``, ``{amount2}``, ``{pct}``, ...: non-PII filler drawn per document (see
  ``_Document._draw_filler`` in ``fastscratch.data``); the same filler name gives the
  same value within one document.
* ``{@pool a-b}``: a to b distinct paragraphs drawn from ``PARAGRAPHS[pool]``,
  separated by blank lines. ``{@pool 1-1}`` picks one alternative; the alternative
  pools below hold as many entries with a ``{card}`` as without, so that the card
  block appears in about half of the documents that use them.
* ``{@+pool a-b}``: the same, each paragraph preceded by a blank line, so that drawing
  none leaves no gap: ``{@+details 0-1}`` adds a card block half of the time.

Static text uses typographic apostrophes and quotes (’ “ ” –) so that the mojibake
variant (``â€™`` and friends) has something to corrupt.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- paragraphs

PARAGRAPHS: dict[str, tuple[str, ...]] = {
    # ---- topic paragraphs of the reports and letters (no card: see "report_card")
    "fin": (
        "Revenue for {quarter} {year} was {amount}, an increase of {pct} over the same "
        "period last year, driven mainly by higher advisory fees and stronger volumes in "
        "the commercial lending book. Operating expenses rose to {amount2}, reflecting "
        "new hires in the {dept} group and one-off technology costs.",
        "Net interest income declined by {pct2} as deposit costs continued to reprice "
        "faster than loan yields. Management expects the margin to stabilise in the "
        "second half of the year, although the forecast remains sensitive to the path "
        "of short-term rates and to competition for retail deposits.",
        "The balance sheet remained conservatively positioned. Cash and equivalents "
        "closed the quarter at {amount3}, total borrowings were unchanged, and the "
        "leverage ratio stayed comfortably within covenant limits. No dividends were "
        "declared during the period.",
        "Accounts receivable increased to {amount4}, with days sales outstanding "
        "lengthening from {n} to {n2} days. The largest overdue balance relates to "
        "{company}, which has agreed a revised payment schedule; the account manager is "
        "{name}, reachable at {phone}.",
        "Capital expenditure for the year totalled {amount2}, most of it spent on the "
        "replacement of the core ledger system and the refurbishment of the {city} "
        "office. Depreciation will begin once the assets are placed in service, which "
        "is expected on {date2}.",
        "Cash flow from operations was {amount}, down {pct} from the prior year because "
        "of the timing of tax payments and a build-up of inventory ahead of the seasonal "
        "peak. Free cash flow remained positive in every month of the quarter.",
        "The statement for the client account held by {name} shows a closing balance of "
        "{amount3} as of {date}. Correspondence about this account is sent to {address}, "
        "and electronic statements go to {email}.",
        "Gross margin improved to {pct2} as the {dept} team renegotiated supplier terms "
        "and shifted volume toward higher-margin products. The improvement was partly "
        "offset by freight surcharges, which added roughly {amount4} to the cost of "
        "sales in {month}.",
        "Budget variance for the {dept} department was {pct} unfavourable, largely "
        "because contract labour ran over plan. The variance has been discussed with "
        "the budget holder and a revised forecast is due on {date2}.",
        "Investor relations materials for the period, including the slide deck and the "
        "supplementary data pack, are published at {url}. Analysts’ questions can be "
        "directed to {email} or by phone to {phone}.",
        "Foreign exchange movements reduced reported revenue by {amount2}. On a "
        "constant-currency basis, growth would have been {pct2}. The hedging programme "
        "covered about {n}% of forecast exposures for the next twelve months.",
        "Working capital tied up in inventory fell by {amount3} after the {dept} team "
        "introduced weekly replenishment reviews. Slow-moving stock older than {n} "
        "months was written down by {amount4}, which is reflected in the cost of sales.",
        "The loan portfolio grew by {pct} during the year. Non-performing loans remained "
        "below two percent of the book, and the allowance for credit losses was "
        "increased by {amount} to reflect a softer outlook for commercial real estate.",
        "Payroll costs, including benefits and payroll taxes, were {amount2} for the "
        "period. The payroll register was reconciled to the general ledger each month, "
        "and the record for {name}, SSN {ssn}, was corrected after a duplicate bonus "
        "payment was identified and recovered.",
    ),
    "audit": (
        "We have audited the accompanying financial statements of {company}, which "
        "comprise the balance sheet as of {date} and the related statements of "
        "income, changes in equity and cash flows for the year then ended, and the "
        "related notes to the financial statements.",
        "In our opinion, the financial statements present fairly, in all material "
        "respects, the financial position of the company as of the reporting date, and "
        "the results of its operations and its cash flows for the year then ended in "
        "accordance with generally accepted accounting principles.",
        "We conducted our audit in accordance with auditing standards generally "
        "accepted in the United States. Our responsibilities under those standards are "
        "further described in the auditor’s responsibilities section of our report. We "
        "believe that the audit evidence we have obtained is sufficient and appropriate.",
        "During our testing of disbursements we selected {n} payments for inspection. "
        "One payment of {amount} lacked a signed approval; the supporting invoice was "
        "later provided by {name}. We consider this a control deficiency but not a "
        "material weakness.",
        "Our sample of employee master-file changes included a record for {name}, SSN "
        "{ssn}, whose bank details were updated without a second review. The change was "
        "valid, but the review step must be enforced for every change to payroll data.",
        "We confirmed the balance with the counterparty directly. The confirmation was "
        "sent to {address} and returned signed on {date2}; the confirmed amount of "
        "{amount2} agreed to the ledger without exception.",
        "Management is responsible for the preparation and fair presentation of these "
        "financial statements and for the design, implementation and maintenance of "
        "internal control relevant to the preparation of statements that are free from "
        "material misstatement, whether due to fraud or error.",
        "Inventory counts were observed at the {city} warehouse on {date}. We performed "
        "{n} test counts and noted two differences, both below our clearly trivial "
        "threshold of {amount3}. Management’s count procedures were found to be "
        "adequate.",
        "Journal entries posted after the close were reviewed for unusual amounts, "
        "round numbers and entries made by senior staff. {n2} entries were selected; "
        "all were supported, appropriately approved and recorded in the correct period.",
        "The audit committee’s point of contact for this engagement is {name}, who can "
        "be reached at {email} or on {phone}. Draft findings were discussed with "
        "management on {date2} and the responses are included in the appendix.",
        "Revenue recognition was tested by agreeing a sample of {n} invoices to "
        "contracts, delivery records and cash receipts. We identified one cut-off error "
        "of {amount4}, which management has corrected in the final statements.",
        "Related-party transactions with {company} totalled {amount} during the year. "
        "They were disclosed in the notes, approved by the board, and priced on terms "
        "equivalent to those prevailing in arm’s length transactions.",
        "User access to the accounting system was reviewed for all {n2} active "
        "accounts. Three former employees still had access thirty days after leaving; "
        "the accounts were disabled on {date2} and the access review is now performed "
        "monthly by the {dept} team.",
        "Bank reconciliations for {month} were reperformed for every operating account. "
        "Reconciling items older than sixty days totalled {amount3} and have been "
        "investigated; none indicated a misappropriation of funds.",
    ),
    "tax": (
        "The taxpayer, {name}, filed a return for tax year {year} reporting adjusted "
        "gross income of {amount} and total tax of {amount2}. The return was prepared "
        "using the standard deduction and no itemised schedules were attached.",
        "Our review compared the wage statements with the amounts on the return. The "
        "employer, {company}, reported federal withholding of {amount3}, which matches "
        "the figure claimed. The taxpayer identification number on file is {ssn}.",
        "Estimated tax payments of {amount4} were made in four instalments. The "
        "{quarter} instalment was received late, on {date2}, and a small underpayment "
        "penalty may apply unless the annualised income method is used.",
        "Deductible business expenses were substantiated with receipts for all items "
        "above {amount}. Home office costs were apportioned at {pct} of the total, in "
        "line with the floor area used exclusively for the business.",
        "The state return reflects a credit for taxes paid to another jurisdiction. "
        "Supporting schedules have been mailed to the taxpayer’s address of record, "
        "{address}, and a copy has been uploaded to {url}.",
        "Capital gains of {amount2} arose from the sale of listed securities held for "
        "more than one year and are taxed at the preferential long-term rate. Wash-sale "
        "adjustments of {amount3} were applied to two lots sold at a loss.",
        "Please confirm the direct deposit details before {date}. If the refund should "
        "be applied to next year’s estimated tax instead, contact our office at {phone} "
        "or reply to {email}.",
        "Depreciation on the rental property was calculated over {n} years using the "
        "straight-line method. The basis was reduced by {amount4} for the land "
        "component, which is not depreciable.",
        "The notice received from the revenue agency on {date} proposed an adjustment "
        "of {amount2}. We believe the adjustment is incorrect and have drafted a "
        "response that includes the missing Form 1099 and the brokerage statements.",
        "Dependants claimed on the return were verified against the prior year. The "
        "child tax credit of {amount3} was computed correctly, and the earned income "
        "credit does not apply at this level of income.",
        "Charitable contributions of {amount} were supported by written "
        "acknowledgements from each organisation. Non-cash donations above the "
        "threshold were accompanied by a qualified appraisal dated {date2}.",
        "Payroll tax deposits for {quarter} {year} were made on time, and the quarterly "
        "returns agree with the payroll register. The federal unemployment tax return "
        "shows a credit reduction of {amount4} that has been accrued.",
        "Sales tax was collected in {n} states during the year. Nexus was reviewed after "
        "remote sales into {city} exceeded the economic threshold, and registration in "
        "that state was completed on {date2}.",
    ),
    "compliance": (
        "This review assessed the firm’s anti-money-laundering programme against the "
        "requirements of the Bank Secrecy Act and the internal policy approved on "
        "{date}. The scope covered customer onboarding, transaction monitoring and "
        "suspicious activity reporting.",
        "Customer due diligence files were sampled for {n} new accounts. One file, for "
        "{name}, lacked proof of address; the customer later supplied a utility bill "
        "showing {address}. The file is now complete.",
        "Transaction monitoring generated {n2} alerts during the quarter, of which "
        "{pct} were closed within the ten-day service level. The backlog was caused by "
        "staff absence in the {dept} team and has since been cleared.",
        "The sanctions screening tool was tested with a set of known matches and "
        "returned all of them. Fuzzy-matching thresholds were reviewed and left "
        "unchanged, and the list update schedule was confirmed as daily.",
        "We noted that a customer’s full identifiers were pasted into a free-text case "
        "note: SSN {ssn}, telephone {phone}, e-mail {email}. Sensitive data must be "
        "stored only in the protected fields of the case management system.",
        "Staff training records show that {pct2} of employees completed the annual "
        "compliance course by the deadline. Reminders were sent to the remainder, and "
        "access will be restricted for anyone who has not completed it by {date2}.",
        "The privacy notice published at {url} was compared with actual data handling. "
        "Retention periods for closed accounts were found to exceed the stated policy, "
        "and a clean-up of records older than {n} years has been scheduled.",
        "Vendor {company} processes customer data on the firm’s behalf. The data "
        "processing agreement is in place, but the latest security attestation had "
        "expired; the vendor has been asked to provide a current report by {date2}.",
        "Regulatory reporting for {quarter} {year} was submitted on time. A "
        "reconciliation of the submitted figures to the general ledger identified no "
        "differences above the tolerance of {amount3}.",
        "Conflicts-of-interest declarations were collected from all senior staff. Two "
        "outside business interests were declared and reviewed by the {role}; neither "
        "was found to create a conflict requiring further action.",
        "The compliance officer for this matter is {name} ({email}, {phone}). Questions "
        "about the findings or the remediation plan should be sent directly to the "
        "compliance officer rather than to the general mailbox.",
        "Record-keeping requirements were tested on a sample of {n2} closed accounts. "
        "Account-opening documents, identity checks and transaction histories were "
        "retrieved for every account within the required time.",
        "The tax compliance calendar was reviewed against actual filing dates. All "
        "federal and state returns for {year} were filed by their due dates, and the "
        "one extension requested was approved on {date2}.",
    ),
    "minutes": (
        "The meeting was called to order at {time}. A quorum was present. The minutes "
        "of the previous meeting, held on {date2}, were approved without amendment.",
        "The {role} presented the financial results for {quarter} {year}. Revenue of "
        "{amount} was slightly ahead of budget, while expenses were {pct} below plan "
        "because several hires were delayed.",
        "The committee discussed the proposed refinancing of the {city} facility. After "
        "debate, it resolved to seek quotes from at least three lenders and to report "
        "back at the next meeting.",
        "{name} reported on the status of the external audit. Fieldwork is complete, "
        "and the auditors expect to issue an unqualified opinion. The management letter "
        "contains {n} minor recommendations.",
        "The committee reviewed the risk register. Cyber security remains the highest "
        "rated risk, followed by key-person dependency in the {dept} team. Mitigation "
        "plans were noted.",
        "Action items: the {role} to circulate the revised budget by {date}; {name} to "
        "confirm the audit fee with {company}; all members to complete the annual "
        "declaration of interests.",
        "There being no further business, the meeting was adjourned at {time2}. The "
        "next meeting will be held on {date2} by video conference; dial-in details will "
        "be sent from {email}.",
    ),
    # ---- paragraphs for letters to customers
    "service": (
        "We have updated your contact details as requested. Statements will now be "
        "mailed to {address}, and we will call you on {phone} only to confirm large "
        "transfers.",
        "Your online account can be accessed at {url}. For security reasons we will "
        "never ask for your password by e-mail; if you receive such a request, forward "
        "it to {email} and delete it.",
        "Our records show the social security number {ssn} for the account owner. If "
        "this is not correct, please let us know before {date2} so that year-end tax "
        "forms are issued with the right details.",
        "Please keep this letter with your records. Our customer service team is "
        "available Monday to Friday, 8 a.m. to 6 p.m., and most requests can be handled "
        "in a single call.",
        "We value your privacy. Personal information is used only to provide the "
        "services you requested and is never sold to third parties; our privacy notice "
        "explains your rights and how to exercise them.",
        "If any of the details in this letter are incorrect, please reply within thirty "
        "days so that we can correct our records before the next statement is issued.",
        "As a reminder, {company} will never ask you to confirm your full card number or "
        "your password over the phone. If someone does, end the call and contact us "
        "using the number printed on your statement.",
        "Thank you for being a valued customer. We look forward to serving you and will "
        "continue to look for ways to make managing your account simpler.",
    ),
    # ---- card blocks, spliced in with {@+pool 0-1}
    "details": (
        "Account holder: {name}\nPhone: {phone}\nCard on file:\n{card}",
        "Payment details\n{card}Billing contact: {email}",
        "Card used for the transaction:\n{card}Authorisation code {ref}.",
        "Customer record\nName: {name}\nSSN: {ssn}\nCard:\n{card}Phone: {phone}",
        "Registered payment method:\n{card}Statements are available at {url}.",
        "Corporate card holder details for {company}:\n{card}Cardholder contact: "
        "{phone}, {email}",
        "The following card is referenced in this document:\n{card}",
        "Card details supplied by the client on {date}:\n{card}The client asked "
        "for the card to be used only for the fees described above.",
    ),
    "report_card": (
        "Payments on the corporate purchasing card were reconciled against the "
        "general ledger at month end. The card in question is recorded below for "
        "reference.\n{card}All charges above {amount} required a second approval from the "
        "{role}.",
        "The schedule of corporate cards reviewed this quarter lists the following "
        "card, held by the {dept} team:\n{card}Spending on this card was {amount} against "
        "a limit of {amount2}; no personal expenses were identified.",
        "A corporate card used for travel expenses was found in the working papers "
        "without redaction, as shown below.\n{card}The card details should be removed "
        "from shared folders and the finding has been raised with the {role}.",
        "We reperformed the monthly card reconciliation for {month}. The statement for "
        "the following card agreed to the ledger:\n{card}Total charges were {amount}, "
        "and receipts were on file for every item we selected.",
        "Payment of the balance due, {amount}, was authorised using credit card {card} "
        "and a receipt will be issued once the payment processor confirms the "
        "transaction.",
        "A complaint received on {date} concerned a disputed transaction of {amount} "
        "on credit card {card} and was resolved in the customer’s favour within the "
        "regulatory time limit.",
        "A card number was found in an e-mail attachment sent to an external "
        "address, in breach of the data handling policy:\n{card}The incident was logged "
        "as {ref} and reported to the privacy office on {date2}.",
        "Quarterly estimated payments are charged automatically to the card on file:\n"
        "{card}Card payments incur a processing fee of {pct}, which is deductible only "
        "for business returns.",
    ),
    # ---- one-of alternatives: half of each pool plants the card
    "paid_with": (
        "using credit card {card} was successful",
        "made with credit card {card} has been completed",
        "charged to the card {card} was approved",
        "by bank transfer was successful",
        "from your checking account has been completed",
        "through online banking was approved",
    ),
    "method_line": (
        "credit card\n{card}",
        "card\n{card}",
        "bank transfer\n",
        "ACH debit\n",
    ),
    "billed_to": (
        "The fee of {amount} will be charged to credit card {card} on the same day each "
        "month.",
        "Payments of {amount} are billed to the card {card} at the start of each billing "
        "cycle.",
        "The fee of {amount} will be debited from your bank account on the same day each "
        "month.",
        "Payments of {amount} are collected by direct debit at the start of each billing "
        "cycle.",
    ),
    "refund_to": (
        "The amount was credited to credit card {card} and should appear within five "
        "business days.",
        "We returned the funds to the card {card} that was used for the original "
        "purchase.",
        "The amount was sent to your bank account by direct deposit.",
        "A cheque for the full amount was mailed to your address of record.",
    ),
    "deductible": (
        "The deductible of {amount2} was charged to credit card {card} on {date2}.",
        "Your deductible of {amount2} was paid with the card {card} when the claim was "
        "filed.",
        "The deductible of {amount2} will be subtracted from the settlement.",
        "No deductible applies to this type of claim under your policy.",
    ),
    "card_added": (
        " The credit card {card} was added as your default payment method.",
        " We also verified the card {card} that you registered for payments.",
        " You can add a payment method at any time from your profile.",
        " No payment method is linked to the account yet.",
    ),
    "breach_card": (
        " The payment card {card} was also affected and has been blocked.",
        " Records for the card {card} were in the same file, and a replacement card is "
        "on its way.",
        " No payment card information was involved.",
        " Card numbers are stored in a separate system, which was not affected.",
    ),
    "exposed": (
        "Shortly afterwards a charge was attempted on credit card {card} and declined.",
        "The session was used to view the card {card} stored in your wallet.",
        "No payment activity was recorded during that session.",
        "The session ended before any account settings were changed.",
    ),
}

# --------------------------------------------------------------------------- documents
# (key, kind, weight, text). Weights set the mix of short and long documents.

_CONTACT = "Questions? Call {phone}, write to {email} or visit {url}."

DOCUMENTS: tuple[tuple[str, str, float, str], ...] = (
    # ---- short notices
    ("transaction_confirmation", "notice", 1.2,
     "Transaction Confirmation\n\nDear {name},\n\nWe are pleased to confirm that your "
     "recent transaction of {amount} with {company} {@paid_with 1-1}. The reference "
     "number is {ref}. A receipt has been sent to {email}, and the billing address on "
     "file is {address}.\n\nIf you did not authorise this transaction, call {phone} or "
     "visit {url}."),
    ("payment_receipt", "notice", 1.0,
     "Receipt {ref} – {company}\n\nPaid by: {name}\nAmount: {amount}\nDate: {date}\n"
     "Payment method: {@method_line 1-1}Billing address:\n{address}\n\nThank you for "
     "your payment, {name}. Questions about this receipt can be sent to {email} or "
     "raised by phone on {phone}. Your payment history is at {url}."),
    ("account_created", "notice", 1.1,
     "Welcome to {company}!\n\nHi {name}, your new account was opened on {date}. Your "
     "username is {email}, and your profile lists the phone number {phone} and the "
     "mailing address {address}. For identity verification we recorded the Social "
     "Security number {ssn}.{@card_added 1-1}\n\nSign in at {url} to finish setting up "
     "your account. If you did not open it, contact us right away."),
    ("ssn_verification", "notice", 1.0,
     "SSN Verification Notice\n\n{name}\n{address}\n\nThe Social Security number {ssn} "
     "provided to {company} on {date} was verified against federal records. No further "
     "action is needed. If the number {ssn} is not yours, call our verification team at "
     "{phone} or write to {email}. Details of our identity checks are at {url}."),
    ("subscription_confirmed", "notice", 1.0,
     "Subscription confirmed\n\nThank you, {name}. Your {plan} subscription with "
     "{company} starts on {date}. {@billed_to 1-1} A confirmation was sent to {email}.\n\n"
     "Manage your plan at {url} or call {phone}. Invoices are mailed to {address}."),
    ("subscription_renewal", "notice", 0.9,
     "Renewal reminder for {name}: your {plan} plan with {company} renews on {date} for "
     "{amount}. {@billed_to 1-1} Billing address: {address}. To change or cancel, visit "
     "{url} or call {phone} before the renewal date. Account e-mail: {email}."),
    ("login_alert", "notice", 1.0,
     "Security alert\n\n{name}, we detected a sign-in to your {company} account from a "
     "new device on {date} at {time}. {@exposed 1-1} If this was you, no action is "
     "needed. If not, reset your password at {url} and call our fraud team on {phone}. "
     "For your protection the SSN {ssn} and the address on your profile,\n{address},\n"
     "have been locked. This alert was sent to {email}."),
    ("breach_notice", "notice", 0.9,
     "Notice of data security incident\n\nDear {name},\n\nOn {date}, {company} discovered "
     "unauthorised access to a system that stores customer records. The information "
     "involved includes your address ({address}), Social Security number {ssn}, phone "
     "number {phone} and e-mail address {email}.{@breach_card 1-1} We are offering free "
     "credit monitoring: enrol at {url} with code {ref}."),
    ("refund_issued", "notice", 0.9,
     "Refund of {amount} issued to {name} for order {ref} from {company}. "
     "{@refund_to 1-1} A confirmation was sent to {email}; the return label was mailed "
     "to {address}. " + _CONTACT),
    ("autopay_setup", "notice", 0.9,
     "Autopay is now active for {name}. Monthly payments of {amount} to {company} "
     "{@paid_with 1-1}, and future payments will follow the same route. Statements will "
     "be mailed to {address}. " + _CONTACT),
    ("address_change", "notice", 0.8,
     "Account update for {name} ({email}): the mailing address on file with {company} "
     "was changed to {address} on {date}. To confirm the change we verified the SSN "
     "{ssn} and the phone number {phone}. If you did not request this change, sign in "
     "at {url} or call {phone} immediately."),
    ("card_charge", "notice", 0.8,
     "Card activity notice\n\nA charge of {amount} from {company} was posted on {date} "
     "to the card below.\n{card}Cardholder: {name}, {address}\nIf you do not recognise "
     "this charge, call {phone}, write to {email} or dispute it at {url}."),
    ("payment_reminder", "notice", 0.5,
     "Payment reminder: {name}, your payment of {amount} to {company} is due on {date}. "
     "Questions? Call {phone} or write to {email}."),
    ("close_schedule", "notice", 0.25,
     "Reminder: the {quarter} {year} close for {company} is scheduled for {date}; "
     "submit adjusting entries to {name} in the {dept} team by {date2}."),
    # ---- letters and e-mails
    ("transaction_letter", "letter", 1.0,
     "{company}\n{date}\n\n{name}\n{address}\n\nDear {name},\n\nWe are pleased to confirm "
     "that your recent transaction {@paid_with 1-1}. The amount of {amount} was "
     "processed under reference {ref}, and a copy of the receipt has been e-mailed to "
     "{email}.{@+service 0-2}\n\nIf you have any questions about this transaction, "
     "please call {phone} or visit {url}.\n\nSincerely,\nCustomer Care, {company}"),
    ("welcome_letter", "letter", 0.9,
     "Dear {name},\n\nWelcome to {company}! We are delighted that you have chosen us, and "
     "we want your onboarding to be as smooth as possible. Your account was opened on "
     "{date} with the following details:\n\nE-mail: {email}\nPhone: {phone}\nAddress: "
     "{address}\nSSN: {ssn}{@+details 0-1}\n\nYour relationship manager will call you "
     "within the next few days to walk you through our services. In the meantime, "
     "you can explore your dashboard at {url}.{@+service 0-2}\n\nWarm regards,\n"
     "The onboarding team at {company}"),
    ("ssn_letter", "letter", 0.8,
     "{company}\n{address}\n\n{date}\n\nDear {name},\n\nAs part of our annual review of "
     "customer records, we verified the Social Security number {ssn} that you provided "
     "when your account was opened. The number matched the records of the Social "
     "Security Administration, and no further action is required on your part."
     "{@+service 0-2}\n\nIf you believe the number {ssn} was recorded in error, please "
     "call {phone} or e-mail {email}. More information about how we protect your data "
     "is available at {url}.\n\nSincerely,\nRecords Department, {company}"),
    ("claim_acknowledgment", "letter", 1.0,
     "{company} Insurance\nClaim {ref}\n\n{name}\n{address}\n\nDear {name},\n\nWe have "
     "received your claim filed on {date} for damage reported at the address above. "
     "An adjuster will contact you at {phone} within three business days to arrange an "
     "inspection. {@deductible 1-1}\n\nPlease keep receipts for any emergency repairs. "
     "You can upload photos and documents at {url} or send them to {email}."
     "{@+service 0-1}\n\nPolicyholder SSN on file: {ssn}\n\nSincerely,\nClaims Department"),
    ("incident_letter", "letter", 0.9,
     "Dear {name},\n\nWe are writing to inform you of a security incident at {company} "
     "that may involve your personal information. On {date}, we learned that an "
     "unauthorised party gained access to a file containing customer records, including "
     "your Social Security number {ssn}, your address\n{address}\nand your phone number "
     "{phone}.{@breach_card 1-1}\n\nWe have secured the affected system and notified "
     "law enforcement. As a precaution, we recommend that you monitor your accounts "
     "closely and consider placing a fraud alert with the credit bureaus."
     "{@+service 0-1}\n\nFor more information, visit {url} or contact our response team "
     "at {email}.\n\nSincerely,\n{company}"),
    ("feedback_reply", "letter", 0.9,
     "Dear {name},\n\nThank you for taking the time to share your feedback about your "
     "recent experience with {company}. We are sorry that the transfer you requested on "
     "{date} took longer than expected. Your comments have been passed to the {dept} "
     "team, and we have credited {amount} to your account as a gesture of goodwill."
     "{@+details 0-1}\n\nWe have noted your preferred contact details: {phone} and "
     "{email}, with correspondence to\n{address}.{@+service 0-2}\n\nYou can follow "
     "the progress of your feedback at {url}.\n\nKind regards,\nCustomer Relations"),
    ("feedback_email", "letter", 0.8,
     "From: {email}\nTo: feedback team, {company}\nDate: {date}\nSubject: Feedback on "
     "my recent payment\n\nHello,\n\nI wanted to let you know about my experience last "
     "week. My payment of {amount} {@paid_with 1-1}, but the confirmation page at {url} "
     "showed an error and I was charged a late fee. I called {phone} twice before the "
     "issue was fixed.\n\nOverall the service has been good, but I would appreciate a "
     "refund of the fee. My account is registered to {address}.\n\nBest regards,\n{name}"),
    ("subscription_cancellation", "letter", 0.7,
     "Dear {name},\n\nWe are sorry to see you go. As requested, your {plan} subscription "
     "with {company} will end on {date}. {@refund_to 1-1} You will keep access to your "
     "account until the end of the current billing period.{@+service 0-2}\n\nIf you "
     "change your mind, you can reactivate the subscription at {url} or by calling "
     "{phone}. A confirmation of this cancellation was sent to {email} and to\n"
     "{address}.\n\nBest wishes,\n{company}"),
    ("service_contract_letter", "letter", 0.8,
     "{company}\n{address}\n\n{date}\n\nDear {name},\n\nThank you for signing the "
     "{service} agreement with {company}. The contract starts on {date2} and runs for "
     "{n} months at a monthly fee of {amount}. {@billed_to 1-1}\n\nYour account manager "
     "can be reached at {phone} or {email}. The full terms, including the service "
     "levels and the cancellation policy, are published at {url}.{@+service 0-2}\n\n"
     "Yours sincerely,\nContracts Team"),
    ("loan_decision_letter", "letter", 0.8,
     "Dear {name},\n\nWe are pleased to inform you that your application for a loan of "
     "{amount}, submitted on {date}, has been approved by {company}. The loan will be "
     "repaid over {n} months at an annual rate of {pct}. The application was assessed "
     "using the Social Security number {ssn} and the address\n{address}.\n\n"
     "{@+details 0-1}\n\nPlease review and sign the loan agreement at {url} before "
     "{date2}. Questions can be directed to your loan officer at {phone} or {email}."
     "{@+service 0-1}\n\nSincerely,\nLending Department, {company}"),
    ("collections_notice", "letter", 0.6,
     "FINAL NOTICE\n\n{name}\n{address}\n\nDear {name},\n\nOur records show an unpaid "
     "balance of {amount} on account {ref}, which was due on {date}. Despite earlier "
     "reminders, we have not received payment. To avoid referral to a collection "
     "agency, please pay the full amount by {date2} using the portal at {url} or call "
     "{phone} to arrange a payment plan.\n\nIf you have already paid, please disregard "
     "this notice.{@+details 0-1}\n\n{company}"),
    # ---- forms
    ("invoice", "form", 1.0,
     "INVOICE {ref}\n{company}\nIssued: {date}    Due: {date2}\n\nBill to:\n{name}\n"
     "{address}\n\nProfessional services, {month} {year} ........ {amount}\n"
     "Out-of-pocket expenses ........ {amount2}\nSales tax ({pct}) ........ {amount3}\n"
     "Total due ........ {amount4}\n\nPayment method: {@method_line 1-1}\n"
     "Remit questions to {email} or {phone}. Pay online at {url}. Thank you for your "
     "business with {company}."),
    ("service_invoice", "form", 0.8,
     "{company}\nTax invoice {ref}\n\nCustomer: {name}\nService address:\n{address}\n"
     "Customer SSN (for credit check): {ssn}\n\n{service}, {month} {year}\n"
     "Monthly fee: {amount}\nAdditional work: {amount2}\nTotal: {amount3}\n\n"
     "{@billed_to 1-1}\n\nView this invoice at {url}. Billing enquiries: {phone}, "
     "{email}."),
    ("loan_application", "form", 0.9,
     "Loan application summary\nApplication date: {date}\n\nApplicant: {name}\n"
     "Social Security Number: {ssn}\nHome address: {address}\nPhone: {phone}\n"
     "E-mail: {email}\nEmployer: {company}\n\nRequested amount: {amount}\nTerm: {n} "
     "months\nStated annual income: {amount2}\nDebt-to-income ratio: {pct}"
     "{@+details 0-1}\n\nThe application was received complete and has been passed to "
     "underwriting. Track its status at {url}. A decision is expected by {date2}."),
    ("insurance_claim_form", "form", 0.9,
     "Insurance claim form\nClaim number: {ref}\nInsurer: {company}\n\nPolicyholder: "
     "{name}\nSSN: {ssn}\nAddress: {address}\nPhone: {phone}\nE-mail: {email}\n\n"
     "Date of loss: {date}\nEstimated loss: {amount}\nDescription: water damage to the "
     "kitchen and hallway after a pipe burst.\n\n{@deductible 1-1}\n\nSupporting "
     "documents can be uploaded at {url}. The policyholder, {name}, confirms that the "
     "information above is true and complete."),
    ("onboarding_record", "form", 0.9,
     "Customer onboarding record (KYC)\n\nFull name: {name}\nDate of review: {date}\n"
     "Residential address:\n{address}\nTaxpayer ID: {ssn}\nContact: {phone} / {email}\n"
     "Employer: {company}\nWebsite: {url}\nRisk rating: {risk}{@+details 0-1}"
     "{@+compliance 0-1}\n\nReviewed by the onboarding team. Next periodic review due "
     "{date2}."),
    ("service_contract_summary", "form", 0.8,
     "Service contract summary\nContract {ref}\n\nProvider: {company}\nClient: {name}\n"
     "Client address:\n{address}\nClient SSN: {ssn}\nService: {service}\nStart date: "
     "{date}\nTerm: {n} months\nMonthly fee: {amount}\n\nPayment: {@method_line 1-1}\n"
     "Notices under this contract go to {email}; service requests to {phone} or {url}."),
    ("account_opening_form", "form", 0.8,
     "Account opening form – {company}\n\n1. Applicant name: {name}\n2. Social Security "
     "number: {ssn}\n3. Mailing address:\n{address}\n4. Phone: {phone}\n5. E-mail: "
     "{email}\n6. Initial deposit: {amount}\n7. Funding method: {@method_line 1-1}\n"
     "I certify that the information provided is correct. Terms and conditions: {url}.\n"
     "Signed: {name}, {date}"),
    ("incident_report_form", "form", 0.8,
     "Security incident report {ref}\nReported: {date} at {time}\nReported by: {name}, "
     "{dept}\nContact: {phone} / {email}\n\nSummary: a laptop belonging to {company} was "
     "stolen from a vehicle in {city}. The device held a customer spreadsheet with the "
     "SSN {ssn} and the address\n{address}\n{@breach_card 1-1}\n\nActions taken: remote "
     "wipe requested, passwords reset, the customer notified through {url}. Severity: "
     "{risk}."),
    ("feedback_form", "form", 0.7,
     "Customer feedback form\n\nName: {name}\nE-mail: {email}\nPhone: {phone}\n"
     "Address: {address}\nCompany: {company}\n\nHow satisfied are you with our service? "
     "Somewhat satisfied.\nComments: the online portal at {url} is easy to use, but the "
     "statement for {month} arrived late and showed a fee of {amount} that I did not "
     "expect. Please call me to discuss it.{@+details 0-1}\n\nSubmitted on {date}."),
    ("subscription_order", "form", 0.7,
     "Order confirmation {ref}\n\nCustomer: {name}\nDelivery address:\n{address}\n"
     "E-mail: {email}\nPhone: {phone}\n\nItem: {plan} subscription, {n} months\n"
     "Seller: {company}\nPrice: {amount}\n\n{@billed_to 1-1}\n\nTrack your order at "
     "{url}."),
    # ---- multi-paragraph reports
    ("annual_audit", "report", 1.2,
     "INDEPENDENT AUDITOR’S REPORT\n\nTo the Board of Directors and Shareholders of "
     "{company}\n{address}\n\n{@audit 4-10}{@+report_card 0-1}{@+fin 0-4}\n\n"
     "Engagement partner: {name}\nContact: {email} | {phone}\nThe signed report is "
     "available at {url}.\n\n{company}\n{date2}"),
    ("internal_audit", "report", 1.1,
     "Internal audit memorandum {ref}\nTo: {role}\nFrom: Internal Audit, {dept}\n"
     "Date: {date}\nEntity: {company}\n\nSummary of findings\n\n{@audit 3-7}"
     "{@+report_card 0-1}\n\nCompliance observations\n\n{@compliance 2-5}\n\nManagement "
     "responses are due by {date2}. Contact: {name}, {phone}, {email}. Working papers "
     "are filed at {url}; correspondence to {address}."),
    ("tax_compliance_review", "report", 1.1,
     "Tax compliance review – {year}\nTaxpayer: {name}\nSSN: {ssn}\nEmployer: {company}\n"
     "Address of record: {address}\n\n{@tax 4-9}{@+report_card 0-1}"
     "{@+compliance 0-4}\n\nPlease sign and return the engagement letter by {date2}, or "
     "upload it to {url}. Questions: {phone} or {email}."),
    ("tax_return_review", "report", 1.0,
     "Tax return review – {year}\nClient: {name}\nPrepared by {company}\n\n{@tax 4-10}"
     "{@+details 0-1}\n\nReviewer’s contact details: {phone}, {email}. Signed copies will "
     "be mailed to {address} and posted to {url}. Taxpayer identification number on "
     "the return: {ssn}."),
    ("financial_review", "report", 1.1,
     "{company}\nQuarterly financial review – {quarter} {year}\nPrepared {date}\n\n"
     "{@fin 4-11}{@+report_card 0-1}\n\nFor questions about this review, contact {name} "
     "at {email} or {phone}. The full report is available at {url}; printed copies are "
     "sent to {address}."),
    ("annual_financial_review", "report", 0.9,
     "Annual financial review {year}\nClient: {company}\nRelationship manager: {name}\n\n"
     "Executive summary\n\n{@fin 3-6}\n\nAudit observations\n\n{@audit 2-5}"
     "{@+report_card 0-1}\n\nTax matters\n\n{@tax 1-3}\n\nDistribution: {email}; "
     "{address}. Enquiries: {phone}. Online: {url}."),
    ("aml_review", "report", 0.9,
     "Compliance review: anti-money-laundering programme\nEntity: {company}\n"
     "Review period ending {date}\nPrepared by: {name}\n\n{@compliance 4-10}"
     "{@+report_card 0-1}\n\nOverall rating: {risk}. The findings were shared with "
     "management on {date2}. Contact: {phone}, {email}, {url}. Registered office:\n"
     "{address}"),
    ("vendor_due_diligence", "report", 0.8,
     "Third-party due diligence report\nVendor: {company}\nRegistered office: "
     "{address}\nVendor contact: {name}, {phone}, {email}\nWebsite: {url}\n"
     "Assessment date: {date}\n\n{@compliance 3-6}{@+details 0-1}\n\n{@audit 2-4}\n\n"
     "Residual risk: {risk}. Reassessment due in {n} months."),
    ("board_minutes", "report", 0.7,
     "Minutes of the finance committee of {company}\nHeld on {date}\n\n"
     "{@minutes 4-7}{@+report_card 0-1}\n\n{@fin 2-4}\n\nSecretary: {name}, {phone}. "
     "Papers are available at {url}; written comments to {address}."),
    ("forensic_report", "report", 0.6,
     "Forensic accounting report – privileged and confidential\nMatter {ref}\n"
     "Prepared for counsel to {company}\n\nBackground\n\n{@audit 4-8}\n\nFinancial "
     "analysis\n\n{@fin 3-6}{@+details 0-1}\n\nThe subject of the review, {name}, SSN "
     "{ssn}, was interviewed on {date2}. Contact details on file: {phone}, {email}, "
     "{address}. Exhibits are hosted at {url}."),
    ("credit_review", "report", 0.8,
     "Credit review memorandum\nBorrower: {company}\nGuarantor: {name}, SSN {ssn}\n"
     "Guarantor address: {address}\nReview date: {date}\n\n{@fin 3-8}{@+report_card 0-1}"
     "{@+service 0-1}\n\nRecommendation: renew the facility of {amount} for a further "
     "{n} months, subject to the usual covenants. Borrower contact: {phone}, {email}, "
     "{url}."),
    ("exam_response", "report", 0.4,
     "Response to regulatory examination findings\n{company}\nSubmitted {date}\n\n"
     "Executive summary\n\n{@compliance 3-7}\n\nDetailed responses\n\n{@audit 2-6}\n\n"
     "Financial impact\n\n{@fin 2-4}{@+report_card 0-1}\n\nSupporting tax matters\n\n"
     "{@tax 1-3}\n\nManagement contact for the examination team: {name}, {email}, "
     "{phone}, {address}. Supporting files: {url}."),
)
