package corpus

// stopWords are the most frequent English function words. They head the
// vocabulary, so a Zipf draw picks them most often, as in real prose.
const stopWords = `the of and to a in is that for it as with was on be by this are or
at from have an which not but they you all their has more can one were will
been if there its also when who would other what into so some than them these
only may out about up over most any such new then two many each do should
how our could first after where those because between through while both
before under must same well much even still without during against within
every however since another whether often upon among per very just here
your us we he she his her own few less least again further once always`

// contentWords is a fixed list of ordinary English words with a leaning
// towards commerce, shipping, tax and the web, so that generated pages read a
// little like the guidance they stand in for. Inflected forms are listed
// separately on purpose: stemming has something to fold.
const contentWords = `
account accounts accounting accountant address addresses adjust adjusted adjustment
advance advice advise adviser agency agent agreement allow allowed allowance amount
amounts annual answer apply applied applies application approach approval approve
approved area areas arrange arrangement arrival arrive arrived article assess
assessment asset assets audit audited auditor authority available average avoid
balance bank banks banking bargain base basic basis batch begin beginning benefit
benefits bill billing bills board book booking border borrow branch brand brands
budget build builder building bulk bundle business businesses buyer buyers buying
calculate calculated calculation calendar call campaign cancel cancelled capital card
cards care carrier carriers carry case cases cash catalogue category certificate
chain change changed changes channel charge charged charges chart cheap check checked
checklist checkout choice choose city claim claims class clear clearance client
clients close closed code collect collected collection column commerce commission
common company compare compared comparison complaint complete completed compliance
comply condition conditions confirm confirmed consider consumer consumers contact
contain content contract contracts control cost costs count counter country
courier couriers course cover coverage create created credit credits currency
current custom customer customers customs cycle daily damage damaged data date
deadline deal dealer debit decide decision declare declared declaration deduct
deduction default delay delayed deliver delivered delivery demand department
deposit describe description design detail details develop device difference
digital direct discount discounts dispatch display dispute distance distribute
distributor district document documents domestic draft due duty duties early earn
earned earning earnings economy effect effective electronic eligible email employee
employees employer enter entry equipment error errors estimate estimated event
evidence exact example examples exchange exempt exemption expense expenses expert
explain export exported exporter exports extra factor fair fee fees field figure
file filed files filing final finance financial find fine fines fixed flat follow
following form forms forward fraud free freight full fund funds future gain general
goods government grade gross group growth guarantee guide guidance handle handling
head help high hold holder holiday home import imported importer imports include
included includes income increase index industry inform information input inquiry
inspect inspection instance insurance interest internal international invoice
invoices issue issued issues item items join journal keep key kind label labels
large late law laws layer lead ledger legal lender letter level licence license
limit limits line link list listing listings loan loans local location logistics
loss lower main maintain make manage managed management manager manual margin
market marketing marketplace match material materials matter measure medium meet
member merchant merchants message method middle minimum missing mobile model money
month monthly move name national need needed net network notice number numbers
object offer offers office official online open operate operation option options
order ordered orders origin outside owner package packages packaging page paid
paper parcel parcels part partner partners party pass payable payment payments
penalty penalties percent period permit person personal phone pick picture place
plan platform platforms point policy portal post postal practice prepare present
price prices pricing print private problem process processed processing produce
product products profile profit profits program project proof property protect
provide provider province public purchase purchased purchases purpose quality
quantity quarter question questions quick quote range rate rates reach read ready
reason receipt receipts receive received record records refund refunds region
register registered registration regular rule rules release remain remove rent
repair replace replacement report reported reports request require required
requirement requirements reserve resolve response result results retail retailer
return returned returns revenue review reviewed reviews right risk route sale sales
save saved saving savings schedule scheme search season second section sector
secure security sell seller sellers selling send sender service services set
settle settlement share ship shipment shipments shipped shipper shipping shop shops
short sign signed simple single site size small sold source special staff stage
standard start statement status step steps stock storage store stores supplier
suppliers supply support surcharge system table target tariff task tax taxable
taxes team term terms test time total track tracked tracking trade trader traders
training transaction transactions transfer transit transport type unit units
update updated upload usage value variant vendor verify version volume voucher
wallet warehouse warranty website weight wholesale window work worker write written
year yearly yield zone zones
ability absence accept accepted access accident accurate achieve acquire action
active activity actual add added addition additional adequate affect afford age
agree ahead aid aim air alert allocate alternative amend analyse analysis angle
announce annually anticipate apparent appeal appear appendix appropriate approximate
argue arise arrangement aspect assign assist assume attach attempt attend attention
attract audience author automatic avenue award aware background bag band bar bear
beat behalf behaviour belief belong best better beyond bit block blue body bond
bonus borrow bottom box brief bring broad brown buy cable calm cap capacity capture
career careful carton category cause caution centre certain chair chance chapter
character cheque chief child circle cite civil claim clean client climate clock
cloth coast coat coffee cold colour combine comfort comment commit communicate
community compact compile complex component concept concern concrete conduct
confident conflict connect consent consequence consistent constant construct
consult consume continue contrast contribute convert cooperate copy core corner
correct cotton council counsel courage court craft credit crisis criteria critical
crop cross crowd crucial culture cup cure curve cut damage dark deal debate decade
decline deep define degree deliberate demonstrate deny depend deputy derive desk
despite destroy detect determine device devote differ dimension dinner direction
director discover discuss disk distinct divide domain dominant door double doubt
downtown dozen dramatic draw dream dress drink drive drop dry dust eager earth ease
east easy eat edge edit edition editor educate effort elaborate elect element
eliminate emerge emphasis employ enable encourage end energy engage engine enhance
enjoy enormous ensure enterprise entire environment equal equivalent establish
evaluate evening eventually evolve examine exceed excellent except excess exclude
execute exercise exhibit exist expand expect experience experiment expose express
extend extent external eye fabric face facility fact faculty fail faith fall false
familiar family famous farm fashion fast fault favour feature federal feed feel
fellow female fence fibre fight fill film filter finish fire firm fit flag flight
floor flow flower fly focus fold folk food foot force foreign forest formal format
former formula fortune forum foundation frame frequent fresh friend front fruit fuel
function fundamental furniture gallery gap garden gate gather gear gender generate
generous gentle genuine gift glass global goal gold golden grain grand grant grass
great green grocery ground guard guest habit half hall hand hang happen hard harm
harvest hat health hear heart heat heavy height hidden highlight hill hire history
hit honest hope horizon host hotel hour house huge human hunt ideal identify
identity ignore illustrate image impact implement imply importance impose improve
incident indicate individual infant initial initiative injury inner innovation
insight insist install instant institute instruction intend intense interval
introduce invest invite involve iron island isolate item jacket job joint judge
juice junior justify kitchen knife knowledge lab labour lack lady lake land
landscape language laptop laser launch lawyer lay leaf league lean learn leather
leave lecture left leg length lesson liberal lift light likely limited linen
liquid literature live load lock logic long loose lose lot loud love low loyal
luck lunch machine magazine mail major male mall manner map mark mass master
maximum meal meaning media medical memory mental mention menu mere metal meter
middle mild military milk mind mineral minor minute mirror mission mix mode
moderate modern modest moment monitor moral morning mostly mother motion motor
mount mouse mouth movie multiple muscle museum music mutual narrow nature near
neat negative neighbour nervous neutral night noise normal north note novel
nuclear nurse nut obtain obvious occasion occupy occur ocean odd offence officer
oil old onion opening opera opinion oppose opposite orange ordinary organic
organise orient original outcome outlet output overall overcome owe pace pack pain
paint pair palace panel parent park partial participate particular past path
patient pattern pause pay peace peak pen pension people pepper perform perhaps
permanent permission phase phrase physical piano piece pilot pink pipe pitch plain
planet plant plastic plate play pleasant plenty pocket poem poet police polite
political pool poor popular portion position positive possess possible potential
pound poverty powder power predict prefer premium presence preserve press pressure
prevent previous pride primary prime principle prior priority prison prize probable
procedure proceed professor progress prominent promise promote prompt proper
proportion propose prospect protein proud prove publish pull pump punish pupil
pure push qualify quarter queen quiet quit quite race radio rail rain raise rapid
rare rather raw reaction real realise rear recent recipe recognise recommend
recover reduce refer reflect reform refuse regard relate relative relax relevant
reliable relief rely remark remarkable remember remind remote rental repeat reply
represent reputation rescue research resident resist resource respect respond
rest restore restrict retain retire reveal rice rich ride ring rise river road rock
role roll roof room root rough round routine row royal rubber rural rush sad safe
salad salary salt sample sand satisfy sauce scale scene science scope score screen
sea seat secret segment select senior sense sentence separate sequence series
serious settle severe shadow shake shape sharp sheet shelf shell shift shine shirt
shoe shoot shoulder shout show shut side sight signal silent silk silver similar
sister sit skill skin sky sleep slice slide slight slow smart smell smile smoke
smooth snow social society soft software soil solar soldier solid solution solve
song sort sound south space spare speak specific speech speed spend spirit split
sport spot spread spring square stable stadium stake stand star state station stay
steady steel stick stone stop straight strange strategy stream street strength
stress stretch strike string strong structure student studio study stuff style
subject submit succeed sudden sugar suggest suit summer sun super surface surgery
surprise survey survive suspect sustain sweet swim switch symbol sympathy tackle
tail take talent talk tall tank tape taste teach tear technical technique
technology telephone television tell temperature temporary tend tension tent
terrible territory text theme theory thick thin thing think threat throw ticket
tie tight tiny tip tired title tone tool tooth topic touch tough tour tower town
toy trace tradition traffic trail train transform translate travel treat treaty
tree trend trial trick trip troop truck true trust truth tube turn twice typical
ugly uncle understand union unique universe upper urban urge useful usual vacuum
valley van vary vast vegetable vehicle venture vessel victim video view village
violent virtual visible vision visit visual vital voice vote wage wait wake walk
wall want war warm warn wash waste watch water wave way weak wealth weapon wear
weather wedding week weekend welcome west wet wheat wheel white whole wide wild
willing win wind wine wing winter wire wise wish witness woman wonder wood wool
word world worry worth wrap yard yellow young youth zero
`
