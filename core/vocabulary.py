"""The network's vocabulary: the one source of every option list, region and label.

From `shared/domain/vocabulary.md`. Every label fits Slack's 75-character option limit; option
values are short stable slugs (stored in the database), so a label can be reworded later
without touching saved rows.
"""

from __future__ import annotations

from types import MappingProxyType

PILLARS: MappingProxyType[str, str] = MappingProxyType(
    {
        "supports": "Integrated student supports",
        "learning_time": "Expanded & enriched learning time and opportunities",
        "engagement": "Active family & community engagement",
        "leadership": "Collaborative leadership & practices",
    }
)

# R-TAC regions and their counties; together they cover all 58 California counties.
REGIONS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "Northern California": (
            "Butte", "Del Norte", "Glenn", "Humboldt", "Lake", "Lassen", "Mendocino", "Modoc",
            "Plumas", "Shasta", "Siskiyou", "Tehama", "Trinity",
        ),
        "Capitol Area": (
            "Alpine", "Colusa", "El Dorado", "Nevada", "Placer", "Sacramento", "San Joaquin",
            "Sierra", "Solano", "Sutter", "Yolo", "Yuba",
        ),
        "Bay Area": (
            "Alameda", "Contra Costa", "Marin", "Napa", "San Francisco", "San Mateo",
            "Santa Clara", "Sonoma",
        ),
        "Central Coast": (
            "Monterey", "San Benito", "San Luis Obispo", "Santa Barbara", "Santa Cruz", "Ventura",
        ),
        "Central Valley": (
            "Amador", "Calaveras", "Fresno", "Kern", "Kings", "Madera", "Mariposa", "Merced",
            "Stanislaus", "Tulare", "Tuolumne",
        ),
        "Greater Los Angeles": ("Los Angeles",),
        "Southern Coast": ("Imperial", "Orange", "San Diego"),
        "Southern Inland": ("Inyo", "Mono", "Riverside", "San Bernardino"),
    }
)  # fmt: skip

REGION_OF_COUNTY: MappingProxyType[str, str] = MappingProxyType(
    {county: region for region, counties in REGIONS.items() for county in counties}
)

FUNDING_STREAMS: MappingProxyType[str, str] = MappingProxyType(
    {
        "ccspp": "CCSPP grant",
        "elop": "ELO-P (Expanded Learning Opportunities Program)",
        "ases": "ASES (After School Education & Safety)",
        "cclc": "21st CCLC / ASSETs",
        "lcff": "LCFF supplemental & concentration grants",
        "title1": "Title I, Part A",
        "fscs": "Full-Service Community Schools (FSCS, federal)",
        "cybhi_fees": "CYBHI fee schedule (school-linked behavioral health)",
        "cybhi_grants": "CYBHI school-linked partnership & capacity grants",
        "sbhip": "SBHIP (Medi-Cal managed care)",
        "lea_bop": "LEA Medi-Cal Billing Option Program (LEA BOP)",
        "smaa": "School-based Medi-Cal Administrative Activities (SMAA)",
        "prop47": "Prop 47 Learning Communities for School Success",
        "county_bh": "County behavioral health partnership",
        "first5": "First 5",
        "philanthropy": "Philanthropy / foundation grant",
    }
)

TA_TOPICS: MappingProxyType[str, str] = MappingProxyType(
    {
        "assessment": "Needs & assets assessment / asset mapping",
        "coordinator": "Community school coordinator role & hiring",
        "shared_decisions": "Shared decision-making & advisory councils",
        "family_engagement": "Family & community engagement (incl. home languages)",
        "climate": "Racially just, restorative school climate",
        "partnerships": "Partnerships, MOUs & data-sharing agreements",
        "coordination": "Coordinating services across agencies (COST, MTSS/PBIS)",
        "data": "Data & continuous improvement (PDSA)",
        "lcap": "Aligning the LCAP with community schools",
        "expanded_learning": "Integrating expanded learning (ELO-P/ASES)",
        "mental_health": "Mental health partnerships & fee-schedule billing readiness",
        "sustainability": "Sustainability & braided funding",
        "compliance": "CCSPP grant compliance & annual progress report",
    }
)

EVENT_TYPES: MappingProxyType[str, str] = MappingProxyType(
    {
        "webinar": "Webinar / virtual session",
        "community_of_practice": "Community of practice",
        "office_hours": "Drop-in / office hours",
        "coordinator_network": "Coordinator network meeting",
        "regional_network": "Regional network meeting",
        "convening": "Summit / convening",
        "site_visit": "Learning exchange / peer site visit",
        "grant_webinar": "Grant application webinar",
        "hearing": "Legislative hearing / policy briefing",
        "sbe_meeting": "State Board of Education meeting",
    }
)

# Policy and funding updates: what kind of thing is moving, and the stages each kind passes
# through (a bill's "in committee", a grant's "closing soon"). Stage values are unique across
# kinds, so one stored value names its stage without the kind beside it.
POLICY_KINDS: MappingProxyType[str, str] = MappingProxyType(
    {
        "bill": "Bill",
        "budget": "Budget item",
        "guidance": "Regulation or guidance",
        "funding": "Funding opportunity",
        "local": "Local policy",
    }
)

LEGISLATIVE_STAGES: MappingProxyType[str, str] = MappingProxyType(
    {
        "introduced": "Introduced",
        "in_committee": "In committee",
        "passed_one_house": "Passed one house",
        "passed_both": "Passed both houses",
        "enacted": "Signed or enacted",
        "vetoed_failed": "Vetoed or failed",
    }
)
FUNDING_STAGES: MappingProxyType[str, str] = MappingProxyType(
    {"open": "Open", "closing_soon": "Closing soon", "closed": "Closed"}
)
GUIDANCE_STAGES: MappingProxyType[str, str] = MappingProxyType(
    {"proposed": "Proposed", "final": "Final"}
)

# The stages a kind may be in, by kind (local policy moves like guidance: proposed, then final).
POLICY_STAGES: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        "bill": LEGISLATIVE_STAGES,
        "budget": LEGISLATIVE_STAGES,
        "guidance": GUIDANCE_STAGES,
        "funding": FUNDING_STAGES,
        "local": GUIDANCE_STAGES,
    }
)
STAGE_LABELS: MappingProxyType[str, str] = MappingProxyType(
    {**LEGISLATIVE_STAGES, **FUNDING_STAGES, **GUIDANCE_STAGES}
)

TA_FORMATS: MappingProxyType[str, str] = MappingProxyType(
    {
        "call": "A call or video meeting",
        "site_visit": "A site visit",
        "written": "Written resources",
        "peer": "A connection with a peer site",
    }
)

# The TA directory (issue 14): how an offering is delivered, what it costs, in which languages.
TA_OFFER_FORMATS: MappingProxyType[str, str] = MappingProxyType(
    {
        "call": "A call or video meeting",
        "site_visit": "A site visit",
        "workshop": "A workshop or training",
        "written": "Written resources",
        "peer": "A connection with a peer site",
        "coaching": "A coaching series",
    }
)

TA_COSTS: MappingProxyType[str, str] = MappingProxyType(
    {
        "free": "Free",
        "fee": "For a fee",
        "grant": "Covered by a grant",
    }
)

TA_LANGUAGES: MappingProxyType[str, str] = MappingProxyType(
    {
        "english": "English",
        "spanish": "Spanish",
        "other": "Other languages",
    }
)
