export default function App() { return <div>console</div>; }
