"""Word lists of the new-information check, English and Spanish, accents folded.

Hand-written and general: the words of contact-center letters that carry no case-specific
news (GENERIC), the past-tense forms that report an action taken on a case (NEWS_WORDS), the
markers of a promise or a condition (CONDITIONAL_*), greetings and closings (COURTESY*), and
synonyms of the domain's things folded together so a paraphrase compares equal (SYNONYMS).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS: dict[str, int] = {
    **{
        name: number
        for number, names in enumerate(
            [
                ("january", "jan", "enero", "ene"),
                ("february", "feb", "febrero"),
                ("march", "mar", "marzo"),
                ("april", "apr", "abril", "abr"),
                ("may", "mayo"),
                ("june", "jun", "junio"),
                ("july", "jul", "julio"),
                ("august", "aug", "agosto", "ago"),
                ("september", "sep", "sept", "septiembre", "setiembre"),
                ("october", "oct", "octubre"),
                ("november", "nov", "noviembre"),
                ("december", "dec", "diciembre", "dic"),
            ],
            start=1,
        )
        for name in names
    }
}

# Form numbers: I-485, N-400, G-28, AR-11, DS-260.
FORM_PREFIXES = frozenset({"i", "n", "g", "ar", "ds", "eoir"})

SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        ("ingly", ""),
        ("edly", ""),
        ("ations", ""),
        ("ation", ""),
        ("ments", ""),
        ("ment", ""),
        ("ings", ""),
        ("ing", ""),
        ("ies", "y"),
        ("ied", "y"),
        ("ly", ""),
        ("es", ""),
        ("ed", ""),
        ("s", ""),
    ),
    "es": (
        ("amientos", ""),
        ("imientos", ""),
        ("amiento", ""),
        ("imiento", ""),
        ("aciones", ""),
        ("iciones", ""),
        ("acion", ""),
        ("icion", ""),
        ("amente", ""),
        ("mente", ""),
        ("ando", ""),
        ("iendo", ""),
        ("adas", ""),
        ("idas", ""),
        ("ados", ""),
        ("idos", ""),
        ("aron", ""),
        ("ieron", ""),
        ("amos", ""),
        ("emos", ""),
        ("imos", ""),
        ("ada", ""),
        ("ida", ""),
        ("ado", ""),
        ("ido", ""),
        ("aba", ""),
        ("ar", ""),
        ("er", ""),
        ("ir", ""),
        ("os", ""),
        ("as", ""),
        ("es", ""),
        ("o", ""),
        ("a", ""),
        ("e", ""),
        ("s", ""),
    ),
}

STOP_WORDS = _words(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    may might must shall us let lets it's i'm we're you're we've we'll you'll there's s t ll ve re
    cannot can't won't don't doesn't didn't isn't aren't wasn't couldn't don won doesn didn isn aren
    wasn couldn also any anything
    d m o y e u el la los las un una unos unas de del al en con por para sin sobre entre hasta
    desde hacia que quien quienes cual cuales cuyo como cuando donde porque pues si no ni ya aun
    mas muy tambien solo su sus mi mis tu tus nuestro nuestra nuestros nuestras usted ustedes le
    les lo se me te nos os es son fue fueron era eran ser sido siendo esta estan estaba estado
    este esto estos estas ese esa esos esas aquel ha han hemos he has haber habia hay sea sean
    yo el ella ellos ellas nosotros vosotros este otra otro otros otras todo toda todos todas
    algo alguna alguno algunos algunas mucho muchos mucha muchas poco pocos cada mismo misma
    puede pueden podemos podra podran debe deben va van vamos tiene tienen tenemos deberia
    deberian podria podrian
    """
)

# Past-tense reports of an action taken on the case, or a finding: the words of news.
NEWS_WORDS = _words(
    """
    scheduled rescheduled transferred relocated reassigned forwarded ordered reordered approved
    denied granted rejected refused mailed issued reissued produced printed reopened expedited
    corrected updated waived cancelled canceled requested located found missing lacks
    lacking incomplete expired unsigned illegible returned placed withdrew withdrawn accepted
    escalated referred elevated flagged suspended paused terminated revoked resent rejected
    programamos programada programado programo reprogramamos reprogramada reprogramado
    reprogramo agendamos agendada agendado transferimos transferido transferida transfirio
    trasladamos trasladado trasladada traslado reasignamos reasignado reasignada ordenamos
    ordenada ordenado ordeno aprobamos aprobada aprobado aprobo negamos negada negado nego
    denegamos denegada denegado denego concedimos concedida concedido rechazamos rechazada
    rechazado rechazo enviamos emitimos emitida emitido reabrimos reabierto reabierta
    agilizamos agilizada agilizado aceleramos acelerada acelerado corregimos corregida corregido
    actualizamos actualizada actualizado cancelamos cancelada cancelado solicitamos solicitada
    solicitado encontramos localizamos localizado falta faltan
    faltante faltantes incompleta incompleto vencido vencida caducado caducada ilegible firmado
    devolvimos devuelta devuelto aceptamos aceptada aceptado imprimimos impresa necesitamos
    escalamos escalado escalada elevamos elevado elevada remitimos remitido remitida referimos
    suspendimos suspendido suspendida reenviamos reenviado reenviada revocado revocada
    """
)

# A sentence opening with these states a condition or a general rule, not a fact of the case.
# Anywhere in the sentence ("we will write if anything else is needed").
CONDITIONAL_ANYWHERE = {"en": _words("if unless whenever"), "es": _words("si cuando")}
CONDITIONAL_WORDS = _words(
    "if once when whenever unless should si cuando mientras siempre deberia deberian podria podrian"
)
CONDITIONAL_PHRASES = re.compile(
    r"\b(if we|if you|if your|once we|once your|once a|once the|as soon as|in the event|when we"
    r"|si necesitamos|si usted|si su|si no|si tiene|en cuanto|tan pronto|una vez que|cuando"
    r" tengamos|cuando se|en caso de)\b"
)

COURTESY_OPENERS = _words(
    """
    dear hello hi greetings sincerely regards respectfully thanks thank cordially best kind
    estimado estimada estimados estimadas querido querida hola saludos atentamente
    cordialmente gracias agradecemos respetuosamente sinceramente
    """
)
COURTESY = re.compile(
    r"^(good (morning|afternoon|evening|day)|buen(os|as) (dias|tardes|noches)"
    r"|we (truly |sincerely |greatly )?appreciate|we apologi[sz]e"
    r"|(we are|we're|i am|i'm) (truly |so |very |deeply |sincerely |really )?sorry"
    r"|we regret|we understand|please accept|have a (good|nice)|le agradecemos|lamentamos"
    r"|sentimos|le pedimos disculpas|disculpe|entendemos|comprendemos|reciba un)"
)

# Folded together, so a paraphrase compares equal: group name <- words and stems.
_SYNONYM_GROUPS: dict[str, str] = {
    "~appointment": "appointment appoint interview entrevista cita citas entrevist",
    "~biometrics": "biometrics biometric biometr fingerprint fingerprints huella huellas "
    "biometric biometricos biometricas",
    "~card": "card tarjeta tarjet",
    "~transfer": "transfer transferred transferr transferimos transferido transferida "
    "transfirio transfer traslad trasladamos trasladado trasladada traslado relocat "
    "relocated reassigned reassign reasign",
    "~schedule": "schedul scheduled reschedul rescheduled program programamos programada "
    "programado programo reprogram agend agendada agendado agendamos",
    "~certificate": "certificat certificate certificado certific acta actas partida",
    "~missing": "missing lack lacking falta faltan faltant faltante incomplet incomplete",
    "~send": "send sent mail mailed enviar enviamos enviado envi envio mand mandamos remit",
    "~expedite": "expedit expedite expedited expedition agiliz aceler",
    "~deny": "deny denied deni deneg negamos negada negado rechaz reject rejected refus",
    "~approve": "approv approve approved aprob aprobada aprobado concedid conced concedimos grant "
    "granted",
    "~case": "cas case expediente expedient file",
    "~application": "application applic solicitud petition peticion formulario form",
    "~office": "office ofic oficina",
    "~inquiry": "inquiry inquiri consulta consult question pregunt",
    "~officer": "officer oficial adjudicator funcionari agent",
    "~decision": "decision decis determination determin",
    "~address": "address direccion direc domicilio",
    "~translation": "translat translation traduccion traduc",
    "~medical": "medical medic examen exam examination",
    "~photo": "photo photograph foto fotografia",
    "~passport": "passport pasaport",
    "~notice": "notic notice aviso avis carta letter notificacion notific",
    "~pending": "pend pending pendient pendiente",
    "~process": "process processing proces procesamiento tramit tramite",
    "~time": "tim time tiempo tiemp plazo",
    "~month": "month mes mese meses",
    "~week": "week seman semana",
    "~day": "day dia dias",
    "~contact": "contact contactar comunic comunicar",
    "~receive": "receiv received recib recibido recibimos",
    "~review": "review revis revisar revision",
    "~update": "updat update actualiz actualizacion novedad noved",
    "~evidence": "evidenc evidence evidencia prueba pruebas document documento documentacion",
}
# Folded as whole words only (their stems would catch unrelated words: necesita, necesitan).
EXACT_SYNONYMS: dict[str, str] = {
    "necesitamos": "~missing",
    "requerimos": "~missing",
    "lacks": "~missing",
}
SYNONYMS: dict[str, str] = {
    word: group for group, words in _SYNONYM_GROUPS.items() for word in words.split()
}

# Words of contact-center letters that tell nothing case-specific (before stemming; the engine
# folds them as it folds a sentence's words).
GENERIC = _words(
    """
    thank thanks thanking contact contacting contacted inquiry inquiries question questions
    case cases application applications petition petitions request requests requested pending
    processing process processed processes time times current currently still review reviewing
    reviewed officer officers patience patient understand understanding appreciate apologize
    apologise sorry delay delays delayed inconvenience soon possible update updates status
    online website site web uscis gov www https http account accounts check checking visit
    information info additional notify notified notification notice notices letter letters
    receive received receiving continue continues continuing work working worked order
    orders file filed filing files submit submitted submission date dates decision decisions
    make made making once complete completion sincerely regards dear hello agency center
    centre service services customer customers help helping assist assistance call calling
    phone telephone number numbers please note aware hear back week weeks month months day
    days business normal normally range within outside beyond exceed exceeds estimated
    estimate average posted published page pages tool reference concern concerns know
    knowing ensure applicant applicants matter receipt queue backlog volume volumes high many
    every individual attention forward looking best kind carefully careful thorough fair
    diligent diligently hard team staff remain remains remaining active open track tracking
    progress steps step next expect expected expecting wait waiting take takes taking longer
    long usual usually typically normal generally required require requires further action
    actions needed necessary prompt promptly timely response responses reply respond
    responding again already system records record show shows indicates indicated
    reach reached assure assured rest adjudication adjudicate adjudicated adjudicating
    contact contacts immigration citizenship department homeland security national benefits
    processed currently being get got getting give given provide provided providing
    available availability informed inform information's form forms hours hour via email
    mail mailing address addresses sent send sending receipt mailed writing write wrote
    written follow following followed up regarding regard concerning about related relating
    reviewing carefully assigned assign assigning queue line point moment present presently
    pleased happy glad hope hoping helpful useful value valued important importance priority
    prioritize volume period periods ahead behind weeks fully full complete completed
    completing final finalize soonest earliest fastest quickly quick as reviewed verify
    verified verifying confirm confirmed confirming acknowledge acknowledged acknowledging
    relevant applicable appropriate correct correctly properly proper accurate accurately
    mind keep keeping kept note noted noting advise advised advising office offices
    individual individually unfortunately however therefore also additionally moreover
    furthermore meanwhile otherwise way ways thing things everything nothing anything
    something new currently right now today yet still just ever never always usually
    sure certain certainly matter matters issue issues situation circumstances concern detail
    details specific general more less much further part parts party parties
    interest interests public member members representative representatives
    correspondence communication communications message messages inbox portal
    resource resources option options link links guide guidance instructions instruction
    frequently asked faq faqs tools answer answers answered explain explained explains
    ask asked asking hand hands handle handled handling care cared
    nuestra agradecemos gracias agradecer contactarnos contactar comunicarse consulta
    consultas pregunta preguntas caso casos solicitud solicitudes peticion peticiones
    pendiente pendientes tramite tramites tramitando procesamiento procesando proceso
    procesos tiempo tiempos actual actualmente todavia revision revisando revisado revisar
    oficial oficiales paciencia comprension comprender entendemos apreciamos disculpe
    disculpas lamentamos sentimos demora demoras retraso retrasos inconveniente inconvenientes
    pronto posible posibles actualizacion actualizaciones estado estatus linea sitio web
    pagina cuenta cuentas verificar verifique consultar consulte visite visitar informacion
    adicional notificar notificaremos notificacion aviso avisos carta cartas recibir recibimos
    recibido recibida recibio continuar continua continuamos trabajo trabajando trabajamos
    orden archivo presentar presento presentada presentado presentacion fecha fechas
    decision decisiones tomar tomaremos completar atentamente cordialmente estimado estimada
    estimados saludos agencia centro servicio cutoff afirmativo servicios cliente clientes ayuda
    ayudar asistir
    asistencia llamar llamada llamadas telefono numero numeros favor tenga cuenta nota
    escuchar semana semanas mes meses dia dias habiles normal normalmente rango dentro fuera
    exceder excede estimado promedio publicado publicados publicada herramienta referencia
    inquietud inquietudes saber asegurar solicitante solicitantes asunto recibo cola volumen
    alto altos cada individual atencion adelante mejor amable cuidadosamente cuidadoso
    justo equipo personal permanece sigue siguen abierto abierta seguimiento progreso paso
    pasos siguiente proximo esperar esperando espera tarda tardar toma tomar largo usual
    generalmente requerido requiere requerimos necesario necesaria accion acciones
    respuesta respuestas responder responderemos nuevamente sistema registro registros
    muestra muestran indica indican comunicaremos comunicarnos contactaremos contacto
    inmigracion ciudadania departamento seguridad nacional beneficios obtener dar
    proporcionar proporcionado disponible disponibilidad informar informado informamos
    horas hora correo electronico correos direccion enviar enviaremos envie envio recibir
    escribir escribio escrito seguir siguiente relacion relacionado relacionada acerca
    respecto sobre asignado asignada asignar momento presente complace contentos esperamos
    util valioso valor importante importancia prioridad periodo periodos completo completa
    final finalizar pronto rapido rapidamente verificado confirmar confirmamos confirmado
    reconocer relevante aplicable apropiado correcto correctamente adecuado precisa
    precision mantener mantenga advertir desafortunadamente sin embargo por lo tanto
    ademas mientras tanto manera forma formas cosa cosas todo nada algo nuevo nueva ahora
    hoy aun nunca siempre seguro segura cierto ciertamente situacion circunstancias
    detalle detalles especifico general menos parte partes interes publico miembro
    miembros representante representantes correspondencia comunicacion comunicaciones
    mensaje mensajes portal recurso recursos opcion opciones enlace enlaces guia
    instrucciones frecuentes herramientas respondido explicar explicamos pedir pedido
    manejar manejado atender atendido atendiendo usted ustedes senor senora gestion
    gestionar gestionando esperamos quedamos disposicion orden llegada recibidas
    """
)

# "As we told you...": the writer says it is repeating an earlier message.
REFERS_BACK = re.compile(
    r"\b(as (we|i) (have )?(told|said|mentioned|explained|wrote|informed|indicated|noted|advised)"
    r"|as (previously|already|earlier) (stated|mentioned|explained|indicated|noted|advised|said)"
    r"|as mentioned (before|earlier|previously)|to repeat|(we|i) (already|previously) (told"
    r"|informed|advised|explained|let you know)|as stated in our (last|previous|earlier)"
    r"|como le (dijimos|mencionamos|explicamos|informamos|indicamos|escribimos|comentamos"
    r"|habiamos)|como (ya )?(se )?le (dijo|menciono|indico|informo|explico)|le repetimos"
    r"|como (ya )?(mencionamos|dijimos|indicamos|explicamos|informamos)|ya le (dijimos"
    r"|informamos|explicamos|indicamos|comunicamos))\b"
)

# Standing instructions, the same for everyone ("please bring your passport to the interview").
STANDING_INSTRUCTION = re.compile(
    r"^((to|para) [^,]{1,60},\s*)?((please|kindly|por favor|favor de)\s+)?((remember|be sure"
    r"|make sure) to\s+)?(bring|arrive|attend|keep|carry|wear|use|visit|call|go to|see|check"
    r"|consult"
    r"|read|follow|download|log in|sign in|create|contact|traiga|traer|lleve|llevar|recuerde"
    r"|asegurese de (traer|llevar|llegar)|llegue|llegar|mantenga|conserve|presentese con|use"
    r"|utilice|visite|llame|vaya|consulte|lea|siga|descargue|ingrese|cree|comuniquese|contacte"
    r"|asista|acuda)\b"
)

# "Send your evidence to...": a standing instruction, unless it names what exactly is missing.
SENDING_INSTRUCTION = re.compile(
    r"^((please|kindly|por favor|favor de)\s+)?(mail|send|submit|upload|fax|return|envie|enviar"
    r"|mande|mandar|presente|presentar|suba|subir|remita|remitir|devuelva)\b"
)

# Reflexive passives that report an action: "se envió", "se emitió" (alone, "envío" is a noun).
REFLEXIVE_NEWS = _words("envio emitio imprimio produjo corrigio cancelo actualizo recibio")

# A past participle after these is a promise or a rule, not a report: "will be mailed", "is
# produced", "será enviada".
MODALS = _words(
    "will would can could may might should must shall to ll is are be being sera seran seria"
    " podra podria puede pueden debe deben va van vamos vaya es son sea sean"
)

# Words that tie a sentence to this customer and their case (a report of an action on it),
# unlike a general statement ("interviews are scheduled in the order...").
ADDRESSING = _words("you your yours we our us su sus usted ustedes le les nosotros nuestro nuestra")
# Words that make a sentence about this customer ("your interview", "su caso").
PERSONAL = _words("you your yours su sus usted ustedes le les")

# A sentence that reports what the customer said or asked: it echoes their request.
CUSTOMER_ECHO = re.compile(
    r"^(i|we) (understand|know|realize)\b|^(as )?you (have )?(asked|told|wrote"
    r"|mentioned|reported|said|want|would like|are asking|inquired|called|contacted|indicated"
    r"|stated|say|ask|write|mention|report|explained|shared|let us know)\b|^(entiendo|entendemos"
    r"|sabemos|comprendo|comprendemos)\b|^(como )?usted (nos )?(pregunta|dice"
    r"|menciona|escribe|reporta|quiere|indica|escribio|llamo|pide|pidio|solicito|solicita|comenta"
    r"|comento|explica|explico|informa|informo|senala|senalo)\b|^(nos|me) (dice|pregunta|escribe"
    r"|cuenta|comenta|informa|explica)\b"
)

# The things a concrete, case-specific message is about (before folding into canonical forms).
SPECIFIC = _words(
    """
    interview interviews appointment biometrics fingerprints card cards transfer transferred
    certificate certificates translation medical exam examination passport photo photos missing
    oath ceremony rfe noid background fbi tracking usps fedex courier spouse tax taxes returns
    transcript transcripts affidavit sponsor signature unsigned fee fees payment refund visa
    bulletin priority motion appeal denial approval approved denied granted rejected reopened
    field support room floor suite window expired illegible incomplete vaccination vaccine
    court police arrest disposition fingerprint employment authorization travel
    parole advance welcome packet green expedite expedited expediting hold supervisor
    escalated suspended revoked
    entrevista entrevistas cita citas biometricos huellas tarjeta tarjetas traslado trasladado
    certificado certificados acta actas traduccion examen medico pasaporte foto fotos falta
    faltan juramento ceremonia antecedentes rastreo conyuge esposo esposa impuestos declaracion
    declaraciones patrocinador firma pago cuota reembolso visa boletin prioridad mocion apelacion
    negacion aprobacion aprobado aprobada negado negada denegado denegada reabierto sala piso
    ventanilla vencido vencida ilegible incompleto incompleta vacunas vacuna corte policia
    arresto permiso viaje acelerar agilizar supervisor supervisora retenido retenida suspendido
    suspendida escalado escalada
    """
)
