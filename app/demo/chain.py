"""The demo chain: "Meridian", a retail chain with eight branches on four continents.

Plain data, no I/O. The generator (`app/demo/generate.py`) draws events from it;
every number here is a modelling choice meant to look like a real chain's
feedback, not a measurement.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Branch:
    id: str
    name: str
    region: str
    timezone: str
    language: str  # BCP 47 tag of most comments; the rest are in English (tourists, expats)
    weight: float  # share of the chain's traffic, relative
    quality: float  # offset of the latent satisfaction: how well this branch serves
    staff: int  # employees serving customers (and answering the eNPS pulse)
    team: tuple[str, str]  # who works the branch's follow-up cases
    open_hour: int  # local opening hours of the store (online channels run all day)
    close_hour: int
    closed_on_sunday: bool = False


BRANCHES: tuple[Branch, ...] = (
    Branch("vie-01", "Vienna Mariahilf", "europe", "Europe/Vienna", "de-AT", 1.0, 0.25, 18,
           ("lena.huber", "tobias.gruber"), 9, 19, closed_on_sunday=True),
    Branch("ber-02", "Berlin Mitte", "europe", "Europe/Berlin", "de-DE", 1.3, 0.05, 22,
           ("jonas.weber", "mia.schulz"), 10, 20, closed_on_sunday=True),
    Branch("lis-03", "Lisbon Chiado", "europe", "Europe/Lisbon", "pt-PT", 0.8, 0.15, 14,
           ("ines.costa", "rui.almeida"), 10, 22),
    Branch("nyc-04", "New York SoHo", "americas", "America/New_York", "en-US", 1.6, 0.0, 26,
           ("maya.johnson", "david.chen"), 10, 21),
    Branch("sao-05", "São Paulo Paulista", "americas", "America/Sao_Paulo", "pt-BR", 1.1, -0.15,
           20, ("ana.souza", "lucas.pereira"), 10, 22),
    Branch("blr-06", "Bengaluru Indiranagar", "apac", "Asia/Kolkata", "en-IN", 0.9, -0.05, 16,
           ("priya.nair", "arjun.rao"), 11, 22),
    Branch("tyo-07", "Tokyo Shibuya", "apac", "Asia/Tokyo", "ja-JP", 1.2, 0.3, 20,
           ("yuki.tanaka", "haruto.sato"), 10, 21),
    Branch("syd-08", "Sydney Surry Hills", "apac", "Australia/Sydney", "en-AU", 0.7, 0.1, 12,
           ("olivia.smith", "jack.wilson"), 9, 18),
)  # fmt: skip

# The service dip: a staff shortage and a failing card terminal at one branch for a
# few weeks. It ends DIP_ENDS_WEEKS_BEFORE_END whole weeks before the data does, so the
# weeks before, during and after it are all in the data.
DIP_BRANCH = "lis-03"
DIP_WEEKS = 4
DIP_ENDS_WEEKS_BEFORE_END = 3
DIP_EFFECT = -0.9  # on the latent satisfaction (about 0.8 standard deviations)
DIP_STAFF_EFFECT = -1.0  # on the employees' own satisfaction (eNPS) at the branch

# (channel, weight, touchpoints, serving employee named, share of known customers)
CHANNELS: tuple[tuple[str, float, tuple[str, ...], bool, float], ...] = (
    ("pos", 30, ("checkout",), True, 0.6),  # loyalty card scanned at the till
    ("in_person", 9, ("product_advice", "checkout", "returns"), True, 0.5),
    ("kiosk", 8, ("checkout", "click_and_collect"), False, 0.45),
    ("web", 14, ("online_order", "delivery"), False, 0.8),
    ("app", 14, ("online_order", "click_and_collect", "delivery"), False, 0.9),
    ("email", 10, ("checkout", "delivery", "online_order"), False, 0.8),
    ("sms", 6, ("checkout", "click_and_collect"), False, 0.7),
    ("phone", 6, ("support_call",), True, 0.7),
    ("chat", 3, ("support_chat",), False, 0.6),
)
ONLINE_CHANNELS = frozenset({"web", "app", "chat"})  # open when the store is closed

CHANNEL_EFFECT = {"pos": 0.1, "in_person": 0.2, "kiosk": -0.1, "web": 0.0, "app": 0.1,
                  "email": -0.05, "sms": 0.0, "phone": -0.25, "chat": -0.15}  # fmt: skip
TOUCHPOINT_EFFECT = {"checkout": 0.0, "product_advice": 0.3, "returns": -0.35,
                     "click_and_collect": 0.15, "online_order": 0.05, "delivery": -0.2,
                     "support_call": -0.2, "support_chat": -0.1}  # fmt: skip
# Touchpoints where the effort score is asked (CES: "made it easy to handle my issue").
EFFORT_TOUCHPOINTS = frozenset({"returns", "support_call", "support_chat", "delivery"})

# Relative traffic per local weekday (Monday first) and per local hour of the day.
WEEKDAY = (0.85, 0.9, 0.95, 1.0, 1.15, 1.35, 0.8)
STORE_HOURS = {9: 0.5, 10: 0.8, 11: 1.0, 12: 1.4, 13: 1.4, 14: 1.0, 15: 0.9, 16: 1.0,
               17: 1.3, 18: 1.5, 19: 1.2, 20: 0.8, 21: 0.5}  # fmt: skip
ONLINE_HOURS = (0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 0.8, 0.9, 1.0, 1.0,
                1.1, 1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.4, 1.5, 1.3, 0.9, 0.5)  # fmt: skip

SEGMENTS = (("gold", 0.1), ("silver", 0.25), ("member", 0.65))
ACQUISITION = ("search", "social", "referral", "ad", "newsletter", "walk_in")
INTERNAL_TOUCHPOINTS = ("it_helpdesk", "replenishment", "hr_services")

FIRST_NAMES = ("Alex", "Sam", "Maria", "Chen", "Aisha", "João", "Yuki", "Priya", "Lukas", "Emma")
LAST_NAMES = ("Example", "Sample", "Muster", "Silva", "Tanaka", "Kumar", "Brown", "Novak")

# Comments by language and mood, each with the tags a reader would give it.
Comment = tuple[str, tuple[str, ...]]
COMMENTS: dict[str, dict[str, tuple[Comment, ...]]] = {
    "en": {
        "good": (
            ("Quick and friendly checkout, thank you!", ("checkout", "staff")),
            ("Great advice from the staff, found exactly what I needed.", ("staff", "product")),
            ("Clean store and easy to find everything.", ("cleanliness",)),
            ("Order was ready for pickup in an hour. Brilliant.", ("click_and_collect",)),
            ("The app makes reordering so easy.", ("app",)),
        ),
        "meh": (
            ("Fine, nothing special.", ()),
            ("Prices went up a bit, but the service is good.", ("price",)),
            ("Delivery took a day longer than promised.", ("delivery",)),
        ),
        "bad": (
            ("Waited twenty minutes at the till, only one cashier.", ("wait_time", "checkout")),
            ("Nobody could answer my question about the warranty.", ("staff", "product")),
            ("The parcel arrived damaged and support never called back.", ("delivery",)),
            ("Return took three visits. Far too complicated.", ("returns",)),
            ("The app crashed twice while paying.", ("app", "checkout")),
        ),
        "dip": (
            (
                "Long queue again, only one till open and the card machine kept failing.",
                ("wait_time", "checkout"),
            ),
            ("Store felt understaffed, nobody to help on the floor.", ("staff", "wait_time")),
        ),
    },
    "de": {
        "good": (
            ("Schnell und freundlich, danke!", ("checkout", "staff")),
            ("Sehr kompetente Beratung, komme gerne wieder.", ("staff", "product")),
            ("Sauberes Geschäft, alles gut zu finden.", ("cleanliness",)),
        ),
        "meh": (
            ("Passt soweit.", ()),
            ("Etwas teurer als früher, aber guter Service.", ("price",)),
        ),
        "bad": (
            ("Lange Schlange an der Kasse, nur eine Kasse offen.", ("wait_time", "checkout")),
            ("Lieferung kam zwei Tage zu spät.", ("delivery",)),
            ("Umtausch war unnötig kompliziert.", ("returns",)),
        ),
    },
    "pt": {
        "good": (
            ("Atendimento rápido e simpático, obrigado!", ("checkout", "staff")),
            ("Ótimo aconselhamento, encontrei o que precisava.", ("staff", "product")),
            ("Loja limpa e bem organizada.", ("cleanliness",)),
        ),
        "meh": (
            ("Tudo normal.", ()),
            ("Os preços subiram um pouco.", ("price",)),
        ),
        "bad": (
            ("Esperei muito tempo na fila.", ("wait_time", "checkout")),
            ("A encomenda chegou atrasada.", ("delivery",)),
            ("A devolução foi muito complicada.", ("returns",)),
        ),
        "dip": (
            (
                "Fila enorme, só uma caixa aberta e o multibanco não funcionava.",
                ("wait_time", "checkout"),
            ),
            ("Faltam funcionários, ninguém para ajudar.", ("staff", "wait_time")),
        ),
    },
    "ja": {
        "good": (
            ("スタッフの対応がとても丁寧でした。", ("staff",)),
            ("レジが早くて助かりました。", ("checkout",)),
        ),
        "meh": (("特に問題ありません。", ()),),
        "bad": (
            ("レジの待ち時間が長すぎます。", ("wait_time", "checkout")),
            ("配送が遅れました。", ("delivery",)),
        ),
    },
    "es": {
        "good": (("Atención rápida y amable.", ("checkout", "staff")),),
        "meh": (("Todo bien.", ()),),
        "bad": (("Mucha espera en la caja.", ("wait_time", "checkout")),),
    },
}
STAFF_COMMENTS: dict[str, tuple[str, ...]] = {
    "good": ("Great team, I like working here.", "Good support from my manager."),
    "bad": (
        "We are short-staffed every shift.",
        "Too much overtime lately.",
        "The card terminal keeps failing and customers blame us.",
    ),
}
ATTEMPT_NOTES = (
    "Apologised and listened.",
    "Customer explained the problem in detail.",
    "Called back as promised.",
)
RESOLUTIONS = (
    "Apologised; sent a 10 % voucher.",
    "Refunded the delivery fee.",
    "Explained the returns policy; customer satisfied.",
    "Replacement sent by express.",
    "Store manager invited the customer back for personal advice.",
)
