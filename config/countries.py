"""COMESA member states and Africa's Talking network codes (domain.md §1, protocols.md §2.4)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field


class UnknownCountry(ValueError):
    """Raised for an ISO code that is not a COMESA member Sokoni knows."""


@dataclass(frozen=True)
class Country:
    """A COMESA member: dialling, money, supported menu languages (first = default) and regions."""

    iso: str
    name: str
    dial: str
    currency: str
    exponent: int
    languages: tuple[str, ...]
    regions: dict[str, tuple[str, ...]] = field(hash=False)


_COUNTRY_LIST = (
    Country(
        "BI",
        "Burundi",
        "+257",
        "BIF",
        0,
        ("fr", "en", "sw"),
        {
            "Bujumbura": ("Bujumbura", "Bubanza", "Cibitoke", "Isale"),
            "Gitega": ("Gitega", "Karusi", "Muramvya", "Mwaro"),
            "Butanyerera": ("Ngozi", "Kayanza", "Kirundo"),
            "Burunga": ("Makamba", "Rumonge", "Rutana", "Bururi"),
            "Buhumuza": ("Cankuzo", "Ruyigi", "Muyinga"),
        },
    ),
    Country(
        "KM",
        "Comoros",
        "+269",
        "KMF",
        0,
        ("fr",),
        {
            "Ngazidja": ("Moroni", "Mitsamiouli", "Foumbouni"),
            "Ndzuwani": ("Mutsamudu", "Domoni", "Sima"),
            "Mwali": ("Fomboni", "Nioumachoua"),
        },
    ),
    Country(
        "CD",
        "DR Congo",
        "+243",
        "CDF",
        2,
        ("fr", "sw", "en"),
        {
            "Kinshasa": ("Gombe", "Limete", "Ngaliema", "Masina", "Kintambo"),
            "Nord-Kivu": ("Goma", "Butembo", "Beni", "Rutshuru"),
            "Sud-Kivu": ("Bukavu", "Uvira", "Kamituga", "Kabare"),
            "Haut-Katanga": ("Lubumbashi", "Likasi", "Kipushi", "Kasumbalesa"),
            "Kongo-Central": ("Matadi", "Boma", "Mbanza-Ngungu", "Muanda"),
        },
    ),
    Country(
        "DJ",
        "Djibouti",
        "+253",
        "DJF",
        0,
        ("fr",),
        {
            "Djibouti": ("Balbala", "Ras Dika", "Boulaos"),
            "Ali Sabieh": ("Ali Sabieh", "Holhol", "Ali Addeh"),
            "Tadjourah": ("Tadjourah", "Randa", "Dorra"),
        },
    ),
    Country(
        "EG",
        "Egypt",
        "+20",
        "EGP",
        2,
        ("ar", "en"),
        {
            "Cairo": ("Nasr City", "Heliopolis", "Maadi", "Shubra"),
            "Alexandria": ("Montaza", "Sidi Gaber", "Borg El Arab"),
            "Giza": ("Giza", "6th of October", "Sheikh Zayed"),
        },
    ),
    Country(
        "ER",
        "Eritrea",
        "+291",
        "ERN",
        2,
        ("en",),
        {
            "Maekel": ("Asmara", "Berikh", "Serejeka"),
            "Debub": ("Mendefera", "Dekemhare", "Adi Keyh"),
            "Anseba": ("Keren", "Hagaz", "Elabered"),
        },
    ),
    Country(
        "SZ",
        "Eswatini",
        "+268",
        "SZL",
        2,
        ("en",),
        {
            "Hhohho": ("Mbabane", "Piggs Peak", "Ngwenya"),
            "Manzini": ("Manzini", "Matsapha", "Malkerns"),
            "Lubombo": ("Siteki", "Big Bend", "Simunye"),
        },
    ),
    Country(
        "ET",
        "Ethiopia",
        "+251",
        "ETB",
        2,
        ("en",),
        {
            "Addis Ababa": ("Bole", "Arada", "Kirkos", "Yeka", "Kolfe Keranio", "Lideta"),
            "Oromia": ("Adama", "Jimma", "Bishoftu", "Shashamane", "Nekemte"),
            "Amhara": ("Bahir Dar", "Gondar", "Dessie", "Debre Markos"),
            "Tigray": ("Mekelle", "Adigrat", "Axum", "Shire"),
            "Sidama": ("Hawassa", "Yirgalem", "Aleta Wendo"),
        },
    ),
    Country(
        "KE",
        "Kenya",
        "+254",
        "KES",
        2,
        ("sw", "en"),
        {
            "Nairobi": ("Westlands", "Kasarani", "Embakasi", "Langata", "Dagoretti"),
            "Mombasa": ("Mvita", "Nyali", "Likoni", "Kisauni", "Changamwe"),
            "Kisumu": ("Kisumu Town", "Ahero", "Maseno", "Muhoroni"),
            "Nakuru": ("Nakuru Town", "Naivasha", "Molo", "Gilgil"),
            "Kiambu": ("Thika", "Ruiru", "Kiambu Town", "Limuru"),
            "Uasin Gishu": ("Eldoret", "Burnt Forest", "Turbo", "Moiben"),
        },
    ),
    Country(
        "LY",
        "Libya",
        "+218",
        "LYD",
        3,
        ("ar", "en"),
        {
            "Tripoli": ("Tripoli", "Tajura", "Janzour"),
            "Benghazi": ("Benghazi", "Al Abyar", "Suluq"),
            "Misrata": ("Misrata", "Zliten", "Tawergha"),
        },
    ),
    Country(
        "MG",
        "Madagascar",
        "+261",
        "MGA",
        2,
        ("fr",),
        {
            "Analamanga": ("Antananarivo", "Ambohidratrimo", "Ankazobe"),
            "Atsinanana": ("Toamasina", "Brickaville", "Vatomandry"),
            "Boeny": ("Mahajanga", "Marovoay", "Mitsinjo"),
        },
    ),
    Country(
        "MW",
        "Malawi",
        "+265",
        "MWK",
        2,
        ("en",),
        {
            "Lilongwe": ("Lilongwe City", "Kanengo", "Mitundu", "Nathenje"),
            "Blantyre": ("Blantyre City", "Limbe", "Lunzu", "Chileka"),
            "Mzimba": ("Mzuzu", "Mzimba Boma", "Ekwendeni", "Embangweni"),
            "Zomba": ("Zomba City", "Domasi", "Jali", "Thondwe"),
            "Mangochi": ("Mangochi Boma", "Monkey Bay", "Namwera", "Makanjira"),
        },
    ),
    Country(
        "MU",
        "Mauritius",
        "+230",
        "MUR",
        2,
        ("en", "fr"),
        {
            "Port Louis": ("Port Louis", "Plaine Verte", "Roche Bois"),
            "Plaines Wilhems": ("Curepipe", "Quatre Bornes", "Vacoas", "Rose Hill", "Beau Bassin"),
            "Pamplemousses": ("Triolet", "Terre Rouge", "Pamplemousses"),
        },
    ),
    Country(
        "RW",
        "Rwanda",
        "+250",
        "RWF",
        0,
        ("en", "fr", "sw"),
        {
            "Kigali": ("Gasabo", "Kicukiro", "Nyarugenge"),
            "Northern": ("Musanze", "Gicumbi", "Burera", "Gakenke", "Rulindo"),
            "Southern": ("Huye", "Muhanga", "Nyanza", "Ruhango", "Nyamagabe"),
            "Eastern": ("Rwamagana", "Kayonza", "Nyagatare", "Kirehe", "Ngoma"),
            "Western": ("Rubavu", "Rusizi", "Karongi", "Nyamasheke"),
        },
    ),
    Country(
        "SC",
        "Seychelles",
        "+248",
        "SCR",
        2,
        ("fr", "en"),
        {
            "Mahe": ("Victoria", "Anse Royale", "Beau Vallon", "Takamaka"),
            "Praslin": ("Baie Ste Anne", "Grand Anse"),
        },
    ),
    Country(
        "SO",
        "Somalia",
        "+252",
        "SOS",
        2,
        ("en",),
        {
            "Banaadir": ("Hodan", "Wadajir", "Karaan", "Hamar Weyne"),
            "Bari": ("Bosaso", "Qardho", "Iskushuban"),
            "Nugaal": ("Garowe", "Eyl", "Burtinle"),
        },
    ),
    Country(
        "SD",
        "Sudan",
        "+249",
        "SDG",
        2,
        ("ar", "en"),
        {
            "Khartoum": ("Khartoum", "Omdurman", "Bahri"),
            "Gezira": ("Wad Madani", "Hasaheisa", "Managil"),
            "Red Sea": ("Port Sudan", "Suakin", "Tokar"),
        },
    ),
    Country(
        "TN",
        "Tunisia",
        "+216",
        "TND",
        3,
        ("fr", "en"),
        {
            "Tunis": ("Tunis", "La Marsa", "Carthage", "Le Bardo"),
            "Sfax": ("Sfax", "Sakiet Ezzit", "Mahres"),
            "Sousse": ("Sousse", "Msaken", "Hammam Sousse"),
        },
    ),
    Country(
        "UG",
        "Uganda",
        "+256",
        "UGX",
        0,
        ("en", "sw"),
        {
            "Central": ("Kampala", "Wakiso", "Mukono", "Masaka", "Mpigi"),
            "Eastern": ("Jinja", "Mbale", "Tororo", "Soroti", "Iganga"),
            "Northern": ("Gulu", "Lira", "Arua", "Kitgum"),
            "Western": ("Mbarara", "Fort Portal", "Kasese", "Hoima", "Kabale"),
        },
    ),
    Country(
        "ZM",
        "Zambia",
        "+260",
        "ZMW",
        2,
        ("en",),
        {
            "Lusaka": ("Lusaka", "Chongwe", "Kafue", "Luangwa"),
            "Copperbelt": ("Ndola", "Kitwe", "Chingola", "Mufulira", "Luanshya"),
            "Southern": ("Livingstone", "Choma", "Mazabuka", "Monze"),
            "Eastern": ("Chipata", "Petauke", "Katete", "Lundazi"),
            "Northern": ("Kasama", "Mbala", "Mporokoso", "Luwingu"),
        },
    ),
    Country(
        "ZW",
        "Zimbabwe",
        "+263",
        "ZWG",
        2,
        ("en",),
        {
            "Harare": ("Harare", "Chitungwiza", "Epworth"),
            "Midlands": ("Gweru", "Kwekwe", "Zvishavane", "Shurugwi"),
            "Manicaland": ("Mutare", "Rusape", "Chipinge", "Nyanga"),
        },
    ),
)

COUNTRIES: dict[str, Country] = {c.iso: c for c in _COUNTRY_LIST}

LANGUAGE_MENU_FIRST = frozenset({"EG", "SD", "LY"})
"""Countries whose callers find their default language (Arabic) first on the language menu;
elsewhere the menu keeps the locale files' order, which callers already know by position."""

# AT networkCode (MCC+MNC) -> (country iso, network name); COMESA entries of protocols.md §2.4.
NETWORKS: dict[str, tuple[str, str]] = {
    "63902": ("KE", "Safaricom"),
    "63903": ("KE", "Airtel"),
    "63907": ("KE", "Telkom"),
    "63999": ("KE", "Equitel"),
    "64101": ("UG", "Airtel"),
    "64110": ("UG", "MTN"),
    "64111": ("UG", "UTL"),
    "64114": ("UG", "Africell"),
    "63510": ("RW", "MTN"),
    "63513": ("RW", "Tigo"),
    "63514": ("RW", "Airtel"),
    "64501": ("ZM", "Airtel"),
    "64502": ("ZM", "MTN"),
    "65001": ("MW", "TNM"),
    "65010": ("MW", "Airtel"),
    "63601": ("ET", "Ethio Telecom"),
    "99999": ("KE", "Athena (sandbox)"),
}


def country(iso: str) -> Country:
    """Return the member state for an ISO alpha-2 code (case-insensitive) or raise UnknownCountry."""
    try:
        return COUNTRIES[iso.upper()]
    except (KeyError, AttributeError):
        raise UnknownCountry(f"Unknown COMESA country code: {iso!r}") from None


def country_for_network(code: str | None) -> Country | None:
    """Return the country of an AT networkCode, or None when absent or unknown."""
    entry = NETWORKS.get(code.strip()) if code else None
    return COUNTRIES[entry[0]] if entry else None
