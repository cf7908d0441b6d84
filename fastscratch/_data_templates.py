"""Document templates for :func:`fastscratch.data.synthesize` (data only, no logic).

Template mini-language, parsed by ``fastscratch.data``:

* ``{name}``, ``{card}``, ``{email}``, ``{url}``, ``{phone}``, ``{address}``,
  ``{company}``, ``{ssn}``: the row's PII values (one value per type and row, so a
  placeholder used twice plants the same value twice).
* ``{date}``, ``{amount2}``, ``{pct}``, ...: non-PII filler drawn per document (see
  ``FILLERS`` in ``fastscratch.data``); the same filler name gives the same value
  within one document.
* ``{@pool a-b}``: a to b distinct paragraphs drawn from ``PARAGRAPHS[pool]``,
  separated by blank lines.

Static text uses typographic apostrophes and quotes (’ “ ” –) so that the mojibake
variant (``â€™`` and friends) has something to corrupt.
"""

from __future__ import annotations

# --------------------------------------------------------------------------- paragraphs

PARAGRAPHS: dict[str, tuple[str, ...]] = {
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
        "Payments on the corporate purchasing card were reconciled against the general "
        "ledger at month end. The card in question is recorded below for reference.\n"
        "{card}All charges above {amount} required a second approval from the {role}.",
        "Budget variance for the {dept} department was {pct} unfavourable, largely "
        "because contract labour ran over plan. The variance has been discussed with "
        "the budget holder and a revised forecast is due on {date2}.",
        "Investor relations materials for the period, including the slide deck and the "
        "supplementary data pack, are published at {url}. Analysts’ questions can be "
        "directed to {email} or by phone to {phone}.",
        "Foreign exchange movements reduced reported revenue by {amount2}. On a "
        "constant-currency basis, growth would have been {pct2}. The hedging programme "
        "covered about {n}% of forecast exposures for the next twelve months.",
        "The schedule of corporate cards reviewed this quarter lists the following card, "
        "held by the {dept} team:\n{card}Spending on this card was {amount} against a "
        "limit of {amount2}; no personal expenses were identified.",
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
        "A corporate card used for travel expenses was found in the working papers "
        "without redaction, as shown below.\n{card}The card details should be removed "
        "from shared folders and the finding has been raised with the {role}.",
        "The audit committee’s point of contact for this engagement is {name}, who can "
        "be reached at {email} or on {phone}. Draft findings were discussed with "
        "management on {date2} and the responses are included in the appendix.",
        "Revenue recognition was tested by agreeing a sample of {n} invoices to "
        "contracts, delivery records and cash receipts. We identified one cut-off error "
        "of {amount4}, which management has corrected in the final statements.",
        "Related-party transactions with {company} totalled {amount} during the year. "
        "They were disclosed in the notes, approved by the board, and priced on terms "
        "equivalent to those prevailing in arm’s length transactions.",
        "We reperformed the monthly card reconciliation for {month}. The statement for "
        "the following card agreed to the ledger:\n{card}Total charges were {amount}, "
        "and receipts were on file for every item we selected.",
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
        "Payment of the balance due, {amount}, was authorised on the card below. A "
        "receipt will be issued once the payment processor confirms the transaction.\n"
        "{card}",
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
        "Quarterly estimated payments are charged automatically to the card on file:\n"
        "{card}Card payments incur a processing fee of {pct}, which is deductible as a "
        "cost of tax preparation only for business returns.",
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
        "A complaint received from {name} on {date} concerned a disputed card "
        "transaction of {amount}. The card referenced in the complaint is recorded "
        "below.\n{card}The dispute was resolved in the customer’s favour within the "
        "regulatory time limit.",
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
        "A card number was found in an e-mail attachment sent to an external address, "
        "in breach of the data handling policy:\n{card}The incident was logged as {ref} "
        "and reported to the privacy office on {date2}.",
    ),
    "client": (
        "Thank you for choosing {company} for your financial planning needs. We have "
        "reviewed your account and prepared the summary below, which reflects all "
        "activity through {date}.",
        "Your portfolio returned {pct} for the period, compared with {pct2} for the "
        "benchmark. The outperformance came mostly from the fixed-income allocation, "
        "which benefited from falling yields in {month}.",
        "We have updated your contact details as requested. Statements will now be "
        "mailed to {address}, and we will call you on {phone} only to confirm large "
        "transfers.",
        "The automatic monthly contribution of {amount} will continue to be charged to "
        "the card you registered:\n{card}You can change the amount or the payment "
        "method at any time.",
        "Your online account can be accessed at {url}. For security reasons we will "
        "never ask for your password by e-mail; if you receive such a request, forward "
        "it to {email} and delete it.",
        "As discussed, we recommend rebalancing toward your target allocation of "
        "{n}% equities. The trades would realise a small gain of about {amount2}, which "
        "we can offset against losses carried forward from {year}.",
        "Our records show the social security number {ssn} for the account owner. If "
        "this is not correct, please let us know before {date2} so that year-end tax "
        "forms are issued with the right details.",
        "Please review the enclosed fee schedule. Advisory fees are charged quarterly "
        "in arrears at an annual rate of {pct}, and there are no transaction charges "
        "for trades placed online.",
        "If you have any questions about this summary, please contact your adviser, "
        "{name}, directly. We appreciate your continued trust and look forward to our "
        "next review meeting on {date2}.",
        "The beneficiary designation on the retirement account was last updated on "
        "{date}. We suggest reviewing it after any major life event, such as a "
        "marriage, a birth or the sale of a business.",
        "To settle the outstanding advisory fee of {amount}, we charged the card you "
        "authorised on {date}:\n{card}A receipt has been sent to your e-mail address on "
        "file.",
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
        "The committee approved a corporate card for the {role} with a monthly limit of "
        "{amount2}. The card issued is recorded here for the register:\n{card}",
        "There being no further business, the meeting was adjourned at {time2}. The "
        "next meeting will be held on {date2} by video conference; dial-in details will "
        "be sent from {email}.",
    ),
    # Record blocks, each with a card, spliced into documents as "{@details 0-1}" (each
    # starts with its own blank line, so that drawing none leaves no gap).
    "details": (
        "\n\nAccount holder: {name}\nPhone: {phone}\nCard on file:\n{card}",
        "\n\nPayment details\n{card}Billing contact: {email}",
        "\n\nCard used for the transaction:\n{card}Authorisation code {ref}.",
        "\n\nCustomer record\nName: {name}\nSSN: {ssn}\nCard:\n{card}Phone: {phone}",
        "\n\nRegistered payment method:\n{card}Statements are available at {url}.",
        "\n\nCorporate card holder details for {company}:\n{card}Cardholder contact: "
        "{phone}, {email}",
        "\n\nThe following card is referenced in this document:\n{card}",
        "\n\nCard details supplied by the client on {date}:\n{card}The client asked "
        "for the card to be used only for the fees described above.",
    ),
}

# --------------------------------------------------------------------------- documents
# (key, kind, weight, text). Weights set the mix of short, medium and long documents.

DOCUMENTS: tuple[tuple[str, str, float, str], ...] = (
    # ---- one-line and short notices
    ("payment_reminder", "notice", 0.7,
     "Payment reminder: {name}, your payment of {amount} to {company} is due on {date}. "
     "Questions? Call {phone} or write to {email}."),
    ("address_change", "notice", 0.7,
     "Account update for {name} ({email}): the mailing address on file was changed to "
     "{address} on {date}. If you did not request this change, call {phone}."),
    ("ssn_verification", "notice", 0.7,
     "Verification notice: the SSN {ssn} on file for {name} was matched against "
     "Internal Revenue Service records on {date}. No further action is required."),
    ("card_charge", "notice", 0.7,
     "Card on file for {name}:\n{card}A charge of {amount} from {company} was posted on "
     "{date}. Reference {ref}."),
    ("portal_access", "notice", 0.7,
     "Portal access: {name} can review statement {ref} at {url} from {date}. Support "
     "is available on {phone}."),
    ("close_schedule", "notice", 0.7,
     "Reminder: the {quarter} {year} close for {company} is scheduled for {date}; "
     "submit adjusting entries to the {dept} team by {date2}."),
    ("refund_issued", "notice", 0.7,
     "Refund of {amount} issued to {name} at {address} for invoice {ref}. Please "
     "contact {email} with any questions about this refund."),
    ("direct_deposit", "notice", 0.7,
     "Direct deposit enrolment confirmed for {name}, SSN {ssn}, phone {phone}, "
     "effective {date}. Your first deposit will arrive with the next payroll run."),
    ("filing_accepted", "notice", 0.7,
     "Notice: {company}’s annual filing for fiscal year {year} was accepted on {date}. "
     "Visit {url} to download the acknowledgment."),
    ("variance_memo", "notice", 0.6,
     "Internal memo: the {dept} team’s {quarter} variance review is complete; total "
     "adjustments came to {amount}, or {pct} of revenue, and no restatement is needed."),
    ("fraud_alert", "notice", 0.7,
     "Fraud alert for {name}: a charge of {amount} was declined on the card below.\n"
     "{card}If you made this purchase, call us on {phone}; otherwise no action is "
     "needed and a replacement card will be mailed to {address}."),
    ("autopay_setup", "notice", 0.7,
     "Autopay is now active for {name}. Monthly payments of {amount} will be charged "
     "to:\n{card}Manage autopay or change the card at {url}."),
    ("card_expiry", "notice", 0.7,
     "Your card on file is about to expire. {name}, please update the details below "
     "before {date} to avoid a missed payment:\n{card}"),
    ("payment_receipt", "notice", 0.7,
     "Receipt {ref}\n{company}\nPaid {amount} on {date} with\n{card}Thank you, {name}. "
     "Questions about this receipt: {phone}."),
    # ---- letters, forms and memos
    ("client_letter", "letter", 1.4,
     "{company}\n{date}\n\n{name}\n{address}\n\nDear {name},\n\n{@client 2-4}{@details 0-1}\n\n"
     "Yours sincerely,\n\nClient Services, {company}\nTel. {phone} | {email} | {url}"),
    ("invoice", "form", 1.2,
     "INVOICE {ref}\nIssued: {date}    Due: {date2}\n\nBill to:\n{name}\n{address}\n\n"
     "Professional services, {month} {year} ........ {amount}\n"
     "Out-of-pocket expenses ........ {amount2}\nSales tax ({pct}) ........ {amount3}\n"
     "Total due ........ {amount4}\n\nPayment received by card:\n{card}\n"
     "Remit questions to {email} or {phone}. Thank you for your business with {company}."),
    ("w2_summary", "form", 1.2,
     "Wage and Tax Statement summary, tax year {year}\n\nEmployee: {name}\nSSN: {ssn}\n"
     "Address: {address}\n\nEmployer: {company}{@details 0-1}\n\nWages, tips, other compensation: "
     "{amount}\nFederal income tax withheld: {amount2}\nSocial security wages: {amount3}\n"
     "Medicare tax withheld: {amount4}\n\nThis summary is provided for your records. "
     "Keep it with your tax return. The employee’s SSN {ssn} must match the Social "
     "Security Administration’s records; report discrepancies to payroll at {phone}."),
    ("loan_application", "form", 1.2,
     "Loan application summary\nApplication date: {date}\n\nApplicant: {name}\n"
     "Social Security Number: {ssn}\nHome address: {address}\nPhone: {phone}\n"
     "E-mail: {email}\nEmployer: {company}\n\nRequested amount: {amount}\nTerm: {n} "
     "months\nStated annual income: {amount2}\nDebt-to-income ratio: {pct}\n\n"
     "{@client 1-2}{@details 1-1}\n\nThe application was received complete and has been passed to "
     "underwriting. A decision is expected by {date2}."),
    ("kyc_record", "form", 1.2,
     "Customer onboarding record (KYC)\n\nFull name: {name}\nDate of review: {date}\n"
     "Residential address:\n{address}\nTaxpayer ID: {ssn}\nContact: {phone} / {email}\n"
     "Employer: {company}\nRisk rating: {risk}{@details 1-1}\n\n{@compliance 1-2}\n\nReviewed by "
     "the onboarding team. Next periodic review due {date2}."),
    ("expense_claim", "form", 1.0,
     "Expense reimbursement request {ref}\n\nClaimant: {name}\nDepartment: {dept}\n"
     "Submitted: {date}\n\nTravel to {city}: {amount}\nAccommodation: {amount2}\n"
     "Meals: {amount3}\nTotal claimed: {amount4}\n\nCorporate card used:\n{card}"
     "Receipts attached for all items above the policy limit. Approved by the {role} "
     "on {date2}."),
    ("email_thread", "letter", 1.2,
     "From: {email}\nTo: accounts payable\nDate: {date}\nSubject: Re: outstanding "
     "balance {ref}\n\nHi,\n\nFollowing up on my call to {phone} this morning. The "
     "balance of {amount} for {company} was paid on {date2}; the remittance advice is "
     "attached. Our vendor portal at {url} shows the payment as settled.\n\n"
     "Could you please update your records and confirm?{@details 0-1}\n\nThanks,\n{name}"),
    ("collections_notice", "letter", 1.0,
     "FINAL NOTICE\n\n{name}\n{address}\n\nDear {name},\n\nOur records show an unpaid "
     "balance of {amount} on account {ref}, which was due on {date}. Despite earlier "
     "reminders, we have not received payment. To avoid referral to a collection "
     "agency, please pay the full amount by {date2} using the portal at {url} or call "
     "{phone} to arrange a payment plan.\n\nIf you have already paid, please disregard "
     "this notice.{@details 0-1}\n\n{company}"),
    ("wire_confirmation", "form", 1.0,
     "Wire transfer confirmation\n\nOriginator: {company}\nBeneficiary: {name}\n"
     "Beneficiary address: {address}\nAmount: {amount}\nValue date: {date}\n"
     "Reference: {ref}\n\nThe transfer was released after call-back verification on "
     "{phone}. A copy of this confirmation was sent to {email}. Wires released after "
     "{time} are processed on the next business day.{@details 0-1}"),
    ("payroll_change", "form", 1.0,
     "Payroll change form\n\nEmployee: {name}\nSSN: {ssn}\nEffective date: {date}\n"
     "Change: annual salary from {amount} to {amount2} ({pct} increase)\n"
     "Department: {dept}\n\nApproved by the {role}. Human resources will send a "
     "confirmation letter to {address}.{@details 0-1}"),
    ("policy_bulletin", "letter", 0.9,
     "Policy bulletin {ref} – {month} {year}\n\nTo all staff in the {dept} "
     "department:\n\n{@compliance 1-3}{@details 0-1}\n\nThis bulletin replaces all earlier guidance "
     "on the subject. Questions should go to the {role}."),
    # ---- multi-paragraph reports
    ("quarterly_report", "report", 1.8,
     "{company}\nQuarterly financial report – {quarter} {year}\nPrepared {date}\n\n"
     "{@fin 3-8}{@details 1-1}\n\nFor questions about this report, contact {name} at {email} or "
     "{phone}. The full report is available at {url}."),
    ("annual_audit", "report", 1.7,
     "INDEPENDENT AUDITOR’S REPORT\n\nTo the Board of Directors and Shareholders of "
     "{company}\n\n{@audit 4-10}\n\n{company}\n{address}\n{date2}"),
    ("internal_audit", "report", 1.5,
     "Internal audit memorandum {ref}\nTo: {role}\nFrom: Internal Audit, {dept}\n"
     "Date: {date}\n\nSummary of findings\n\n{@audit 2-5}{@details 0-1}\n\nCompliance observations\n\n"
     "{@compliance 1-3}\n\nManagement responses are due by {date2}. Contact: {name}, "
     "{phone}."),
    ("tax_review", "report", 1.5,
     "Tax return review – {year}\nClient: {name}\nPrepared by {company}\n\n"
     "{@tax 3-7}{@details 1-1}\n\nPlease sign and return the engagement letter to {address}, or "
     "upload it to {url}."),
    ("aml_review", "report", 1.4,
     "Compliance review: anti-money-laundering programme\nEntity: {company}\n"
     "Review period ending {date}\n\n{@compliance 3-8}{@details 0-1}\n\nOverall rating: {risk}. The "
     "findings were shared with management on {date2}."),
    ("portfolio_review", "report", 1.4,
     "Portfolio review for {name}\n{date}\n\n{@client 2-4}{@details 1-1}\n\n{@fin 1-3}\n\nThis "
     "review is provided by {company} for information only and does not constitute "
     "tax advice."),
    ("vendor_due_diligence", "report", 1.3,
     "Third-party due diligence report\nVendor: {company}\nRegistered office: "
     "{address}\nAssessment date: {date}\n\n{@compliance 2-5}{@details 0-1}\n\n{@audit 1-2}\n\n"
     "Residual risk: {risk}. Reassessment due in {n} months."),
    ("board_minutes", "report", 1.3,
     "Minutes of the finance committee of {company}\nHeld on {date}\n\n"
     "{@minutes 3-6}{@details 0-1}\n\n{@fin 0-2}"),
    ("forensic_report", "report", 1.0,
     "Forensic accounting report – privileged and confidential\nMatter {ref}\n"
     "Prepared for counsel to {company}\n\nBackground\n\n{@audit 3-7}\n\nFinancial "
     "analysis\n\n{@fin 2-5}{@details 1-1}\n\nThe subject of the review, {name}, was interviewed on "
     "{date2}. Contact details on file: {phone}, {email}, {address}."),
    ("trust_accounting", "report", 1.1,
     "Trust accounting statement\nTrust for the benefit of {name}\nTrustee: "
     "{company}\nPeriod ended {date}\n\n{@tax 2-5}{@details 1-1}\n\n{@client 1-3}\n\nThe trustee’s "
     "office can be reached at {phone}."),
    ("credit_review", "report", 1.1,
     "Credit review memorandum\nBorrower: {company}\nGuarantor: {name}\nReview date: "
     "{date}\n\n{@fin 2-5}{@details 0-1}\n\n{@client 0-2}\n\nRecommendation: renew the facility "
     "of {amount} for a further {n} months, subject to the usual covenants."),
    ("exam_response", "report", 0.6,
     "Response to regulatory examination findings\n{company}\nSubmitted {date}\n\n"
     "Executive summary\n\n{@compliance 3-7}\n\nDetailed responses\n\n{@audit 2-6}\n\n"
     "Financial impact\n\n{@fin 2-4}{@details 1-1}\n\nSupporting tax matters\n\n{@tax 1-3}\n\n"
     "Management contact for the examination team: {name}, {email}, {phone}."),
)
