"""The message catalogue: every text of the maps and the app in English, Kyrgyz and Russian.

Use :func:`t` to get a message; a test fails when a key lacks a language. Place names come
from ``data/places.csv`` (``name_en``, ``name_ky``, ``name_ru``), not from here.
"""

from __future__ import annotations

from flowmap.data import LANGS
from flowmap.errors import FlowmapError

__all__ = ["LANGS", "LANG_LABELS", "MESSAGES", "t"]

LANG_LABELS: dict[str, str] = {"en": "English", "ky": "Кыргызча", "ru": "Русский"}

MESSAGES: dict[str, dict[str, str]] = {
    # Map title and labels
    "map.title": {
        "en": "Migration of the population of Batken oblast",
        "ky": "Баткен облусунун калкынын миграциясы",
        "ru": "Миграция населения Баткенской области",
    },
    "direction.out": {"en": "Departures", "ky": "Кеткендер", "ru": "Выбывшие"},
    "direction.in": {"en": "Arrivals", "ky": "Келгендер", "ru": "Прибывшие"},
    "direction.net": {
        "en": "Net migration (arrivals − departures)",
        "ky": "Миграциялык сальдо (келгендер − кеткендер)",
        "ru": "Миграционное сальдо (прибывшие − выбывшие)",
    },
    "direction.all": {
        "en": "Departures and arrivals",
        "ky": "Кеткендер жана келгендер",
        "ru": "Выбывшие и прибывшие",
    },
    "sex.total": {"en": "both sexes", "ky": "жалпы", "ru": "оба пола"},
    "sex.male": {"en": "men", "ky": "эркектер", "ru": "мужчины"},
    "sex.female": {"en": "women", "ky": "аялдар", "ru": "женщины"},
    "age.all": {"en": "all ages", "ky": "бардык курактагылар", "ru": "все возрасты"},
    "age.working": {
        "en": "working age",
        "ky": "эмгекке жарамдуу курактагылар",
        "ru": "трудоспособный возраст",
    },
    "basis.reported": {
        "en": "reported in the source",
        "ky": "булакта жарыяланган",
        "ru": "опубликовано в источнике",
    },
    "basis.derived": {
        "en": "derived: arithmetic on reported figures",
        "ky": "эсептелген: жарыяланган сандардан",
        "ru": "вычислено из опубликованных чисел",
    },
    "basis.modelled": {
        "en": "modelled estimate",
        "ky": "моделдик баалоо",
        "ru": "модельная оценка",
    },
    "legend.title": {"en": "Legend", "ky": "Шарттуу белгилер", "ru": "Легенда"},
    "legend.width": {
        "en": "Line width: number of people (square-root scale, the same on every map)",
        "ky": "Сызыктын калыңдыгы: адамдардын саны "
        "(квадрат тамыр шкаласы, бардык карталарда бирдей)",
        "ru": "Толщина линии: число людей (шкала квадратного корня, одна для всех карт)",
    },
    "legend.min_width": {
        "en": "Flows under {count} people are drawn {px} px wide so that they stay visible.",
        "ky": "{count} адамдан аз агымдар көрүнүп турушу үчүн {px} пиксель калыңдыкта тартылат.",
        "ru": "Потоки меньше {count} человек нарисованы толщиной {px} пикс., чтобы их было видно.",
    },
    "legend.people": {"en": "{count} people", "ky": "{count} адам", "ru": "{count} чел."},
    "legend.style.reported": {
        "en": "solid line: reported in the source",
        "ky": "тутумдуу сызык: булакта жарыяланган",
        "ru": "сплошная линия: опубликовано в источнике",
    },
    "legend.style.derived": {
        "en": "pale solid line: derived (arithmetic on reported figures)",
        "ky": "бозомтук тутумдуу сызык: жарыяланган сандардан эсептелген",
        "ru": "бледная сплошная линия: вычислено из опубликованных чисел",
    },
    "legend.style.modelled": {
        "en": "dashed line: modelled estimate (see the method in the tooltip)",
        "ky": "үзүк сызык: моделдик баалоо (ыкмасы сызыктын түшүндүрмөсүндө)",
        "ru": "пунктир: модельная оценка (метод во всплывающей подсказке)",
    },
    "legend.colour.out": {
        "en": "red: departures from Batken oblast",
        "ky": "кызыл: Баткен облусунан кеткендер",
        "ru": "красный: выбывшие из Баткенской области",
    },
    "legend.colour.in": {
        "en": "blue: arrivals in Batken oblast",
        "ky": "көк: Баткен облусуна келгендер",
        "ru": "синий: прибывшие в Баткенскую область",
    },
    "legend.circles": {
        "en": "circle: arrivals + departures shown on this map",
        "ky": "тегерек: бул картадагы келгендер + кеткендер",
        "ru": "круг: прибывшие + выбывшие на этой карте",
    },
    "legend.arrows": {
        "en": "the arrowhead shows the direction",
        "ky": "жебе багытты көрсөтөт",
        "ru": "стрелка показывает направление",
    },
    # Tooltips
    "tip.from": {"en": "From", "ky": "Кайдан", "ru": "Откуда"},
    "tip.to": {"en": "To", "ky": "Кайда", "ru": "Куда"},
    "tip.period": {"en": "Period", "ky": "Мезгил", "ru": "Период"},
    "tip.count": {"en": "People", "ky": "Адам", "ru": "Человек"},
    "tip.net": {"en": "Net", "ky": "Сальдо", "ru": "Сальдо"},
    "tip.group": {"en": "Group", "ky": "Топ", "ru": "Группа"},
    "tip.basis": {"en": "Basis", "ky": "Негизи", "ru": "Основание"},
    "tip.source": {"en": "Source", "ky": "Булак", "ru": "Источник"},
    "tip.method": {"en": "Method", "ky": "Ыкма", "ru": "Метод"},
    "tip.note": {"en": "Note", "ky": "Эскертүү", "ru": "Примечание"},
    "tip.arrivals": {"en": "Arrivals", "ky": "Келгендер", "ru": "Прибывшие"},
    "tip.departures": {"en": "Departures", "ky": "Кеткендер", "ru": "Выбывшие"},
    "tip.anchor": {"en": "Anchor point", "ky": "Белгиленген чекит", "ru": "Опорная точка"},
    "tip.border": {
        "en": "Border of Batken oblast with {country}: {km} km (Natural Earth line)",
        "ky": "Баткен облусунун {country} менен чек арасы: {km} км (Natural Earth сызыгы)",
        "ru": "Граница Баткенской области с {country}: {km} км (линия Natural Earth)",
    },
    "tip.enclave": {
        "en": "Enclave of {country}: {name}, about {area} km²",
        "ky": "{country} анклавы: {name}, болжол менен {area} км²",
        "ru": "Анклав {country}: {name}, около {area} км²",
    },
    # Layers
    "layer.flows": {"en": "Flows", "ky": "Агымдар", "ru": "Потоки"},
    "layer.circles": {
        "en": "Places (arrivals + departures)",
        "ky": "Жерлер (келгендер + кеткендер)",
        "ru": "Места (прибывшие + выбывшие)",
    },
    "layer.border": {
        "en": "Batken border, enclaves and centres",
        "ky": "Баткендин чек арасы, анклавдар жана борборлор",
        "ru": "Граница Баткена, анклавы и центры",
    },
    "layer.districts": {"en": "Districts", "ky": "Райондор", "ru": "Районы"},
    "layer.countries": {"en": "Countries", "ky": "Өлкөлөр", "ru": "Страны"},
    "layer.oblasts": {
        "en": "Oblasts of Kyrgyzstan",
        "ky": "Кыргызстандын облустары",
        "ru": "Области Кыргызстана",
    },
    "layer.tiles": {
        "en": "Online map tiles (needs internet)",
        "ky": "Онлайн карта (интернет керек)",
        "ru": "Онлайн-подложка (нужен интернет)",
    },
    # Centres of Batken oblast
    "centre.district.batken": {
        "en": "centre of Batken district; city of oblast significance",
        "ky": "Баткен районунун борбору; облустук маанидеги шаар",
        "ru": "центр Баткенского района; город областного значения",
    },
    "centre.district.leilek": {
        "en": "centre of Leilek district",
        "ky": "Лейлек районунун борбору",
        "ru": "центр Лейлекского района",
    },
    "centre.district.kadamjay": {
        "en": "centre of Kadamjay district",
        "ky": "Кадамжай районунун борбору",
        "ru": "центр Кадамжайского района",
    },
    "centre.city": {
        "en": "city of oblast significance",
        "ky": "облустук маанидеги шаар",
        "ru": "город областного значения",
    },
    # Notes inside the map
    "note.border_2025": {
        "en": "The Kyrgyz–Tajik border was redrawn by the delimitation completed at the end of "
        "2025; the boundary lines shown (Natural Earth) predate it and are approximate.",
        "ky": "Кыргыз-тажик чек арасы 2025-жылдын аягында аяктаган делимитация менен кайра "
        "аныкталган; картадагы чек ара сызыктары (Natural Earth) андан мурунку жана болжолдуу.",
        "ru": "Кыргызско-таджикская граница изменена делимитацией, завершённой в конце 2025 "
        "года; показанные линии (Natural Earth) старше и приблизительны.",
    },
    "note.modelled": {
        "en": "Modelled flows are estimates: the source does not split them.",
        "ky": "Моделдик агымдар болжолдуу баалоо: булак аларды бөлүп көрсөтпөйт.",
        "ru": "Модельные потоки — оценки: источник их не разбивает.",
    },
    "note.symbolic": {
        "en": "“Abroad” and “other oblasts” are drawn to symbolic points, not real places.",
        "ky": "«Чет өлкөлөр» жана «башка облустар» чыныгы жерге эмес, шарттуу чекитке тартылган.",
        "ru": "«Зарубежье» и «другие области» проведены к условным точкам, а не к реальным местам.",
    },
    "note.source": {
        "en": "Source: «Баткен облусунун калкынын миграциясы» (article, tables 1–2 and text). "
        "Boundaries: Natural Earth (public domain). Places: GeoNames (CC BY 4.0).",
        "ky": "Булак: «Баткен облусунун калкынын миграциясы» (макала, 1–2-таблицалар жана "
        "текст). Чек аралар: Natural Earth. Жерлер: GeoNames (CC BY 4.0).",
        "ru": "Источник: «Баткен облусунун калкынын миграциясы» (статья, табл. 1–2 и текст). "
        "Границы: Natural Earth. Места: GeoNames (CC BY 4.0).",
    },
    "note.empty": {
        "en": "No flow matches this selection.",
        "ky": "Бул тандоого ылайык агым жок.",
        "ru": "Для этого выбора потоков нет.",
    },
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """Return the message ``key`` in ``lang``, with ``{name}`` fields filled from ``values``.

    Raises
    ------
    FlowmapError
        If the language or the key is unknown.
    """
    if lang not in LANGS:
        raise FlowmapError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    try:
        text = MESSAGES[key][lang]
    except KeyError:
        raise FlowmapError(f"no message {key!r} in language {lang!r}") from None
    return text.format(**values) if values else text
