"""Short, distinct Italian business news paragraphs (over `nlp.min_words` each) for tests that must pass `prepare`."""

PARAGRAPHS = [
    "Il consorzio dei produttori di Forlì ha chiuso il bilancio con un utile in crescita, perché le esportazioni "
    "verso la Germania sono aumentate del dieci per cento nel corso dell'anno.",
    "La città di Cesena ospiterà la nuova sede della società di logistica, che prevede di assumere duecento persone "
    "entro la fine del prossimo anno grazie ai fondi regionali.",
    "Le banche del territorio hanno firmato un accordo con la Regione Emilia-Romagna per sostenere le piccole imprese "
    "colpite dall'alluvione con prestiti a tasso agevolato.",
    "Il gruppo alimentare di Parma ha annunciato l'acquisizione di un marchio francese di formaggi, un'operazione da "
    "trecento milioni di euro finanziata con debito e liquidità.",
    "Gli albergatori della riviera romagnola segnalano un calo delle presenze straniere a luglio, mentre il turismo "
    "italiano tiene grazie ai prezzi più contenuti rispetto alla Spagna.",
    "Una startup bolognese che sviluppa sensori per l'agricoltura ha raccolto cinque milioni di euro da un fondo di "
    "investimento milanese e aprirà un laboratorio a Ravenna.",
    "Il porto di Ravenna ha movimentato più container del previsto nel primo semestre, e l'autorità portuale chiede "
    "al governo nuovi fondi per dragare i fondali del canale.",
    "La cooperativa vitivinicola di Faenza esporta ormai metà delle sue bottiglie in Giappone e negli Stati Uniti, "
    "dove il Sangiovese romagnolo viene venduto a prezzi sempre più alti.",
    "Dopo tre anni di perdite, la fabbrica di piastrelle di Sassuolo torna in utile grazie al taglio dei costi "
    "energetici e alle nuove linee di produzione automatizzate.",
]
