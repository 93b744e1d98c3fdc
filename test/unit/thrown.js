// What a call throws; a test that expects a throw fails when nothing is thrown.
function thrownBy(run) {
	try {
		run();
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

module.exports = { thrownBy };
